// The devvm vantage's provisioning (issue 12): the systemd unit and the config of the second probe, which
// runs one http leg per user at that user's own serve instance on devvm's loopback.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../probe-sidecar/src/config/load';
import { PROV, readYaml, type Obj } from './files';

const DIR = join(PROV, 'devvm');
const unit = readFileSync(join(DIR, 't3-probe.service'), 'utf8');
/** `Key=value` lines of the unit, every value of a key (systemd allows repeats). */
const directives = (key: string): string[] =>
  unit
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));

describe('provisioning/devvm/probe.yaml', () => {
  const doc = readYaml(join(DIR, 'probe.yaml')) as Obj & { api: { tokenFile: string } };
  const scratch = mkdtempSync(join(tmpdir(), 't3-devvm-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("passes the probe's validation: one leg per user, each at a loopback port, crossing only that user's instance", () => {
    // The token lives where systemd puts the unit's credential; here a scratch copy stands in for it.
    writeFileSync(join(scratch, 'api-token'), 'token\n');
    const cfg = validateConfig({ ...doc, api: { tokenFile: join(scratch, 'api-token') } }, DIR);
    expect(cfg.legs.length).toBeGreaterThanOrEqual(2);
    for (const leg of cfg.legs) {
      expect(leg.type).toBe('http');
      expect(leg.user).toBe(leg.name);
      expect(leg.segments).toEqual([]);
      const url = new URL(leg.url);
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.pathname).toBe('/.well-known/t3/environment');
    }
    expect(new Set(cfg.legs.map((l) => new URL(l.url).port)).size).toBe(cfg.legs.length);
    expect(cfg.topology.users ?? []).toEqual([]);
  });

  it('guards its API with the credential the unit loads, and keeps its store in the unit state directory', () => {
    const [name] = directives('LoadCredential')[0]!.split(':');
    expect(doc.api.tokenFile).toBe(`/run/credentials/t3-probe.service/${name}`);
    expect(doc.dataDir).toBe(`/var/lib/${directives('StateDirectory')[0]}`);
  });
});

describe('provisioning/devvm/t3-probe.service', () => {
  it('runs the probe CLI on the config this folder ships, restarting it whenever it stops', () => {
    const [exec] = directives('ExecStart');
    expect(exec).toMatch(/ \/opt\/t3-probe\/bin\/t3-probe\.js --config \/etc\/t3-probe\/probe\.yaml$/);
    expect(directives('Restart')).toEqual(['always']);
    expect(directives('WantedBy')).toEqual(['multi-user.target']);
  });

  it("stays outside every user's cgroup, so a runaway agent in one user's slice cannot starve it", () => {
    expect(directives('Slice')).toEqual(['system.slice']);
  });
});

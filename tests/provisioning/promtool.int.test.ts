// Prometheus' own tools on the Prometheus side: the config and rule files check, the rule unit tests
// pass, and they would catch the mistakes they are there for (each mutant rule file must fail them).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesIn, PROV } from './files';

const PROMTOOL = '/usr/bin/promtool';
const PROM_DIR = join(PROV, 'prometheus');

function promtool(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(PROMTOOL, args, { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('promtool', () => {
  it('check config: prometheus.yml and the rule files it loads', async () => {
    const r = await promtool(['check', 'config', 'prometheus.yml'], PROM_DIR);
    expect(r.out).toContain('2 rule files found');
    expect(r.code, r.out).toBe(0);
  });

  it('check rules: every rule file', async () => {
    const files = filesIn(join(PROM_DIR, 'rules'), '.yml');
    const r = await promtool(['check', 'rules', ...files], PROM_DIR);
    expect(r.code, r.out).toBe(0);
  });

  it('test rules: every rule test passes', async () => {
    const tests = filesIn(join(PROM_DIR, 'tests'), '.yml');
    expect(tests.length).toBeGreaterThanOrEqual(6);
    const r = await promtool(['test', 'rules', ...tests], PROM_DIR);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/SUCCESS/g)).toHaveLength(tests.length);
  });

  it('check config fails on a config that is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 't3-promtool-'));
    scratch.push(dir);
    writeFileSync(join(dir, 'prometheus.yml'), 'scrape_configs:\n  - job_name: x\n    scrape_interval: soon\n');
    const r = await promtool(['check', 'config', 'prometheus.yml'], dir);
    expect(r.code).not.toBe(0);
  });
});

/** A rule-file change that breaks the rules' semantics, and what the failing test's report names. */
const MUTANTS: Array<{ name: string; file: string; from: string; to: string; caughtBy: string }> = [
  {
    name: 'LegDown without its 2 minutes',
    file: 't3-alerts.yml',
    from: 'for: 2m',
    to: 'for: 15s',
    caughtBy: 'recovers within the 2-minute window',
  },
  {
    name: 'DropBurst summed across legs',
    file: 't3-alerts.yml',
    from: 'sum by (leg) (increase',
    to: 'sum(increase',
    // the sum has no leg to join the legs' users on: it never fires
    caughtBy: 'a flapping leg (a drop every 2 minutes) fires at its third drop',
  },
  {
    name: 'DropBurst with delta (blind to counter resets)',
    file: 't3-alerts.yml',
    from: '(increase(t3probe_disconnects_total',
    to: '(delta(t3probe_disconnects_total',
    caughtBy: 'counter reset',
  },
  {
    name: 'DropBurst from 2 drops',
    file: 't3-alerts.yml',
    from: '>= 3',
    to: '>= 2',
    caughtBy: 'two legs with two drops each',
  },
  {
    name: 'LegDown blind to misconfiguration',
    file: 't3-alerts.yml',
    from: 'max without () ({__name__=~"t3probe_connected|t3probe_leg_misconfigured"})',
    to: 'max without () (t3probe_connected)',
    caughtBy: "a leg down only because the server refuses the probe's credentials or version",
  },
  {
    name: 'DropBurst counting refusals of the probe',
    file: 't3-alerts.yml',
    from: '{reason!~"auth_failed|version_mismatch"}',
    to: '',
    caughtBy: "a leg refused for the probe's credentials on every reconnect",
  },
  {
    name: 'DropBurst counting version refusals',
    file: 't3-alerts.yml',
    from: 'reason!~"auth_failed|version_mismatch"',
    to: 'reason!="auth_failed"',
    caughtBy: "a leg refused for the probe's credentials on every reconnect",
  },
  {
    name: 'Misconfigured without its minute',
    file: 't3-alerts.yml',
    from: 'for: 1m',
    to: 'for: 0s',
    caughtBy: 'a refused leg fires after 1 minute, not before',
  },
  {
    name: 'Misconfigured for a leg at 0',
    file: 't3-alerts.yml',
    from: '== 1',
    to: '>= 0',
    caughtBy: 'a leg that is only down',
  },
  {
    name: 'Misconfigured with a reversed comparison',
    file: 't3-alerts.yml',
    from: '== 1',
    to: '== 0',
    caughtBy: 'two legs refused at once fire one alert each',
  },
  {
    name: "LegDown without the leg's user",
    file: 't3-alerts.yml',
    from: 'group_left (user)',
    to: 'group_left ()',
    caughtBy: "a user's leg down carries the user",
  },
  {
    name: "LegDown for users' legs only",
    file: 't3-alerts.yml',
    from: ' or on (leg) group by (leg) ({__name__=~"t3probe_connected|t3probe_leg_misconfigured"})',
    to: '',
    caughtBy: 'a leg down for good fires after 2 minutes',
  },
  {
    name: "DropBurst without the leg's user",
    file: 't3-alerts.yml',
    from: '(leg) group_left (user) (max by (leg, user) (t3probe_leg_info) or on (leg) group by (leg) (t3probe_disconnects_total))',
    to: '(leg) group_left () (max by (leg, user) (t3probe_leg_info) or on (leg) group by (leg) (t3probe_disconnects_total))',
    caughtBy: "a user's leg's burst carries the user",
  },
  {
    name: 'SegmentSuspected linking no user',
    file: 't3-alerts.yml',
    from: '&user={{ reReplaceAll',
    to: '&someone={{ reReplaceAll',
    caughtBy: "a user's own serve instance is named for the user",
  },
  {
    name: 'Pressure at 1%',
    file: 't3-alerts.yml',
    from: ') > 0.1',
    to: ') > 0.01',
    caughtBy: 'memory at 5% stays quiet',
  },
  {
    name: 'SegmentSuspected from 1 incident',
    file: 't3-alerts.yml',
    from: '(increase(t3probe_incidents_total[10m])) >= 2',
    to: '(increase(t3probe_incidents_total[10m])) >= 1',
    caughtBy: 'one incident stays quiet',
  },
  {
    name: 'SegmentSuspected from half an event under 2 (1.5)',
    file: 't3-alerts.yml',
    from: '(increase(t3probe_incidents_total[10m])) >= 2',
    to: '(increase(t3probe_incidents_total[10m])) >= 1.5',
    caughtBy: "one incident at a fresh probe's second scrape reads 1.93",
  },
  {
    name: 'SegmentSuspected summed across segments',
    file: 't3-alerts.yml',
    from: 'max by (suspect) (increase(t3probe_incidents_total',
    to: 'sum(increase(t3probe_incidents_total',
    caughtBy: 'two incidents on different segments stay quiet',
  },
  {
    name: 'SegmentSuspected summed across the probes',
    file: 't3-alerts.yml',
    from: 'max by (suspect) (increase(t3probe_incidents_total',
    to: 'sum by (suspect) (increase(t3probe_incidents_total',
    caughtBy: "one incident on a user's instance, counted by both probes",
  },
  {
    name: 'SegmentSuspected over 15 minutes',
    file: 't3-alerts.yml',
    from: 't3probe_incidents_total[10m]',
    to: 't3probe_incidents_total[15m]',
    caughtBy: 'two incidents more than 10 minutes apart stay quiet',
  },
  {
    name: 'SegmentSuspected with delta (blind to counter resets)',
    file: 't3-alerts.yml',
    from: '(increase(t3probe_incidents_total',
    to: '(delta(t3probe_incidents_total',
    caughtBy: 'a counter reset (probe restart) neither loses incidents nor invents them',
  },
  {
    name: 'SegmentSuspected naming serve wrongly',
    file: 't3-alerts.yml',
    from: '}}t3 serve process and its host (serve)',
    to: '}}serve (serve)',
    caughtBy: 'every default segment is named in words',
  },
  {
    name: "RTT recording rule without the leg's user",
    file: 't3-recording.yml',
    from: 'group_left (user)',
    to: 'group_left ()',
    // a promql_expr_test names the expected series, not the test
    caughtBy: 'leg="serve-alice", user="alice"',
  },
  {
    name: 'RTT recording rule without the job filter',
    file: 't3-recording.yml',
    from: '{job="t3-probe"}',
    to: '',
    caughtBy: 'leg_le:t3probe_rtt_seconds_bucket:rate5m',
  },
];

describe('the rule tests catch broken rules', () => {
  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
    const dir = mkdtempSync(join(tmpdir(), 't3-mutant-'));
    scratch.push(dir);
    cpSync(join(PROM_DIR, 'rules'), join(dir, 'rules'), { recursive: true });
    cpSync(join(PROM_DIR, 'tests'), join(dir, 'tests'), { recursive: true });
    const file = join(dir, 'rules', m.file);
    const text = readFileSync(file, 'utf8');
    expect(text, `mutation anchor "${m.from}" not found in ${m.file}`).toContain(m.from);
    writeFileSync(file, text.replace(m.from, m.to));
    const r = await promtool(['test', 'rules', ...filesIn(join(dir, 'tests'), '.yml')], dir);
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain(m.caughtBy);
  });
});

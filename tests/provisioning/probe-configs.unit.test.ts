// The probe configs shipped for docker compose are valid for the real probe, keep its data in the
// compose volume, and the demo config reaches the lab on the ports the lab service exposes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../probe-sidecar/src/config/load';
import { LEG_SEGMENTS } from '../../lab/probe-config';
import { FAULT_MS } from '../../lab/scenarios';
import { PROV, readYaml, REPO, type Obj } from './files';

const compose = readYaml(join(REPO, 'docker-compose.yaml')) as { services: Record<string, Obj> };
const probeDataMount = (compose.services['t3-probe']!.volumes as string[])
  .find((v) => v.startsWith('probe-data:'))!
  .split(':')[1];

describe.each(['example.yaml', 'demo.yaml'])('provisioning/probe/%s', (name) => {
  const cfg = loadConfig(join(PROV, 'probe', name));

  it("passes the probe's own validation with the runbook's three legs and segments", () => {
    expect(Object.fromEntries(cfg.legs.map((l) => [l.name, l.segments]))).toEqual(LEG_SEGMENTS);
  });

  it('stores data in the volume docker-compose.yaml mounts and listens on all interfaces', () => {
    expect(cfg.dataDir).toBe(probeDataMount);
    expect(cfg.listen.host).toBe('0.0.0.0');
  });
});

describe('provisioning/probe/example.yaml', () => {
  it("uses the t3 client's 20 s watchdog", () => {
    const cfg = loadConfig(join(PROV, 'probe', 'example.yaml'));
    for (const l of cfg.legs.filter((x) => x.type === 'websocket')) {
      expect(l.timeoutMs).toBe(20_000);
    }
  });
});

describe('the demo config', () => {
  it("notices every lab fault: each leg's watchdog is shorter than the faults the lab plays", () => {
    const cfg = loadConfig(join(PROV, 'probe', 'demo.yaml'));
    for (const l of cfg.legs) {
      expect(l.timeoutMs).toBeLessThan(FAULT_MS);
    }
    expect(cfg.thresholds.rttStallMs).toBeLessThan(FAULT_MS);
  });

  it('reaches the lab service on ports it exposes', () => {
    const cfg = loadConfig(join(PROV, 'probe', 'demo.yaml'));
    const [lo, hi] = String((compose.services.lab!.expose as string[])[0])
      .split('-')
      .map(Number);
    for (const l of cfg.legs) {
      const url = new URL(l.url);
      expect(url.hostname).toBe('lab');
      expect(Number(url.port)).toBeGreaterThanOrEqual(lo!);
      expect(Number(url.port)).toBeLessThanOrEqual(hi!);
    }
  });
});

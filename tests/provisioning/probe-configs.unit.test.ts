// The probe configs shipped for docker compose are valid for the real probe, keep its data in the
// compose volume, and the demo config reaches the lab on the ports the lab service exposes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../probe-sidecar/src/config/load';
import { fixedPorts, type SegmentName } from '../../lab/lab';
import { FINER_LEGS, LEG_SEGMENTS } from '../../lab/probe-config';
import { FAULT_MS } from '../../lab/scenarios';
import { PROV, readYaml, REPO, type Obj } from './files';

const compose = readYaml(join(REPO, 'docker-compose.yaml')) as { services: Record<string, Obj> };
const probeDataMount = (compose.services['t3-probe']!.volumes as string[])
  .find((v) => v.startsWith('probe-data:'))!
  .split(':')[1];

describe.each(['example.yaml', 'demo.yaml'])('provisioning/probe/%s', (name) => {
  const cfg = loadConfig(join(PROV, 'probe', name));

  it("passes the probe's own validation with the runbook's three legs and the finer ones, on by default", () => {
    const finer = Object.fromEntries(Object.entries(FINER_LEGS).map(([name, leg]) => [name, leg.segments]));
    expect(Object.fromEntries(cfg.legs.map((l) => [l.name, l.segments]))).toEqual({ ...LEG_SEGMENTS, ...finer });
    expect(Object.fromEntries(cfg.legs.map((l) => [l.name, l.type]))).toMatchObject(
      Object.fromEntries(Object.entries(FINER_LEGS).map(([name, leg]) => [name, leg.type]))
    );
    // Cloudflare's edge answers the trace itself: the edge leg never goes through the tunnel.
    expect(new URL(cfg.legs.find((l) => l.name === 'edge')!.url).pathname).toBe('/cdn-cgi/trace');
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

  it("enters the lab at the hop of each leg's first segment (cf-edge answers the edge leg's trace)", () => {
    const cfg = loadConfig(join(PROV, 'probe', 'demo.yaml'));
    const command = compose.services.lab!.command as string[];
    const ports = fixedPorts(Number(command[command.indexOf('--base-port') + 1]));
    for (const l of cfg.legs) {
      expect(Number(new URL(l.url).port), l.name).toBe(ports[l.segments[0] as SegmentName]);
    }
  });
});

// The demo wiring of docker-compose.yaml, without Docker: the lab service's command and the probe's
// demo config, run as real processes on 127.0.0.1 (ports shifted to a free range), must give every leg
// connected: the runbook's three and the finer ones (the cf-edge hop answering the edge leg's trace).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORT_SPAN } from '../../lab/lab';
import { waitFor } from '../../lab/wait';
import { PROV, readYaml, REPO, type Obj } from './files';
import { onFreeRange } from '../support/ports';
import { startServer, type Server } from '../../lab/drive/procs';

const compose = readYaml(join(REPO, 'docker-compose.yaml')) as { services: Record<string, Obj> };
const labCommand = compose.services.lab!.command as string[];
const BASE = Number(labCommand[labCommand.indexOf('--base-port') + 1]);

const servers: Server[] = [];
let dir: string;
let probe: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 't3-demo-'));
  // The lab listens on fixed ports from --base-port: a range free when chosen, another if it was taken
  // before the lab bound it.
  let base = 0;
  const lab = await onFreeRange(PORT_SPAN, (b) => {
    base = b;
    const [cmd, ...args] = labCommand.map((a) => (a === String(BASE) ? String(b) : a === '0.0.0.0' ? '127.0.0.1' : a));
    return startServer('lab', cmd === 'node' ? process.execPath : cmd!, args, /^(\{"event":"ready".*)$/, {
      cwd: REPO,
      timeoutMs: 30_000,
    });
  });
  servers.push(lab);
  // The demo config as compose mounts it, with the lab's host name and ports moved to this run's.
  const cfg = parse(readFileSync(join(PROV, 'probe/demo.yaml'), 'utf8')) as Obj & { legs: Array<{ url: string }> };
  for (const leg of cfg.legs) {
    const url = new URL(leg.url);
    url.hostname = '127.0.0.1';
    url.port = String(Number(url.port) - BASE + base);
    leg.url = url.toString();
  }
  cfg.listen = '127.0.0.1:0';
  cfg.dataDir = join(dir, 'data');
  writeFileSync(join(dir, 'probe.yaml'), stringify(cfg));
  const p = await startServer(
    't3-probe',
    process.execPath,
    [join(REPO, 'probe-sidecar/bin/t3-probe.js'), '--config', join(dir, 'probe.yaml')],
    /"msg":"probe started".*"listen":"([^"]+)"/,
    { cwd: REPO }
  );
  servers.push(p);
  probe = p.address;
});

afterAll(async () => {
  const results = await Promise.allSettled(servers.reverse().map((s) => s.stop()));
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    throw new Error(failed.map((f) => String(f.reason)).join('; '));
  }
});

describe('docker compose --profile demo, without Docker', () => {
  it("the probe's demo legs, the finer ones included, connect through the lab", async () => {
    const connected = async () => {
      const text = await (await fetch(`http://${probe}/metrics`)).text();
      return [...text.matchAll(/^t3probe_connected\{leg="([^"]+)"\} 1$/gm)].map((m) => m[1]).sort();
    };
    // the http leg's first answer comes after one 10 s interval at most
    await waitFor(async () => (await connected()).length === 6, {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: 'six connected legs',
    });
    expect(await connected()).toEqual(['cloudflare', 'devvm-net', 'edge', 'internal', 't3serve', 'traefik']);
  });
});

/**
 * The probe against hostile peers (lab/hostile.ts): one real probe process, one leg per misbehaviour,
 * all at once. Every case must end as counted disconnects with the reason documented in
 * probe-sidecar/README.md ("Hostile peers") and no other reason; the probe must keep its pid, answer
 * /healthz and keep its memory bounded. A valid-TLS control leg must stay up (so `tls` is not a catch-all).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reason } from '../../src/attribution';
import { makeCerts, opensslAvailable } from '../../lab/certs';
import { LabChild, REPO_ROOT } from '../../lab/child';
import { CLOSE_CODES } from '../../lab/hostile';
import { sleep, waitFor } from '../../lab/wait';
import { buildProbe, ProbeProcess } from '../../lab/drive/probe-process';
import { refusedPort } from '../support/ports';
import { metricValue } from '../../lab/drive/probe-http';
import { MB, rssBytes } from './proc-stats';

interface Case {
  leg: string;
  type: 'websocket' | 'http';
  url: (port: (mode: string) => number) => string;
  /** null: the control case, which must stay connected. */
  reason: Reason | null;
}

const ws = (mode: string, reason: Reason | null, scheme = 'ws'): Case => ({
  leg: mode,
  type: 'websocket',
  url: (p) => `${scheme}://127.0.0.1:${p(mode)}/ws`,
  reason,
});
const web = (mode: string, reason: Reason, scheme = 'http'): Case => ({
  leg: mode,
  type: 'http',
  url: (p) => `${scheme}://127.0.0.1:${p(mode)}/.well-known/t3/environment`,
  reason,
});
/** RFC 2606: `.invalid` never resolves. */
const NOWHERE = 't3-probe-hostile.invalid';

const CASES: Case[] = [
  ws('garbage-text', 'heartbeat_timeout'),
  ws('binary', 'heartbeat_timeout'),
  ws('invalid-utf8', 'protocol_error'),
  ws('bad-opcode', 'protocol_error'),
  ws('oversize', 'protocol_error'),
  ws('no-handshake', 'handshake_timeout'),
  ws('open-close', 'abnormal_close'),
  ws('open-reset', 'reset'),
  ws('accept-reset', 'reset'),
  ...CLOSE_CODES.map((c) => ws(`close-${c}`, c === 1002 || c === 1003 ? 'protocol_error' : 'server_close')),
  ws('close-1004', 'protocol_error'),
  ws('trickle', 'handshake_timeout'),
  ws('redirect', 'unexpected_response'),
  ws('upgrade-401', 'auth_failed'),
  ws('upgrade-426', 'version_mismatch'),
  ws('upgrade-503', 'http_5xx'),
  ws('tls-self-signed', 'tls', 'wss'),
  ws('tls-expired', 'tls', 'wss'),
  ws('ok-tls', null, 'wss'),
  { leg: 'ws-dns', type: 'websocket', url: () => `ws://${NOWHERE}/ws`, reason: 'dns' },
  { leg: 'ws-refused', type: 'websocket', url: (p) => `ws://127.0.0.1:${p('refused')}/ws`, reason: 'refused' },
  web('http-trickle', 'heartbeat_timeout'),
  web('http-redirect', 'unexpected_response'),
  web('http-garbage', 'protocol_error'),
  web('http-reset', 'reset'),
  web('http-no-answer', 'heartbeat_timeout'),
  web('https-self-signed', 'tls', 'https'),
  web('https-expired', 'tls', 'https'),
  { leg: 'http-dns', type: 'http', url: () => `http://${NOWHERE}/x`, reason: 'dns' },
];

/** How long the cases run: past the 15 s socket-open timeout, so the slow cases have failed twice. */
const RUN_MS = 40_000;
/**
 * The probe's RSS ceiling under this load (34 legs failing every few seconds). It starts near 75 MB and
 * levels off at 130–160 MB in a 2-minute run (V8 grows its heap, then collects); a frame buffered per
 * connection (4 MiB × 3 legs × reconnects) or sockets never released would pass it within the run.
 */
const RSS_LIMIT = 200 * MB;

const openssl = opensslAvailable();
const dir = mkdtempSync(join(tmpdir(), 't3-hostile-'));
let hostile: LabChild | undefined;
let probe: ProbeProcess;
const prevCa = process.env.NODE_EXTRA_CA_CERTS;

beforeAll(async () => {
  if (!openssl.ok) {
    return;
  }
  buildProbe();
  const certs = makeCerts(dir);
  const started = await LabChild.start({
    name: 'hostile',
    script: join(REPO_ROOT, 'lab/hostile.ts'),
    args: ['--certs', certs.dir],
  });
  hostile = started.child;
  const ports = started.ready.ports as Record<string, number>;
  // A port nobody listens on, and that no concurrent test can be given while this one runs.
  ports.refused = await refusedPort();
  const port = (mode: string): number => {
    const p = ports[mode];
    if (p === undefined) {
      throw new Error(`hostile server has no mode ${mode}`);
    }
    return p;
  };
  const config = {
    listen: '127.0.0.1:0',
    dataDir: join(dir, 'data'),
    heartbeat: { interval: '500ms', timeout: '2s' },
    reconnect: { initial: '1s', max: '4s' },
    legs: CASES.map((c) => ({
      name: c.leg,
      type: c.type,
      url: c.url(port),
      segments: ['serve'],
      ...(c.type === 'http' ? { interval: '1s', timeout: '2s' } : {}),
    })),
  };
  const file = join(dir, 'probe.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  // The control case's CA: trusted by the probe process only (the test process inherits nothing back).
  process.env.NODE_EXTRA_CA_CERTS = certs.ca;
  probe = await ProbeProcess.start(file);
  if (prevCa === undefined) {
    delete process.env.NODE_EXTRA_CA_CERTS;
  } else {
    process.env.NODE_EXTRA_CA_CERTS = prevCa;
  }
}, 60_000);

afterAll(async () => {
  await ProbeProcess.killAll();
  await hostile?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!openssl.ok)(`hostile peers${openssl.ok ? '' : ` (skipped: ${openssl.ok || openssl.reason})`}`, () => {
  it(
    'every case is a counted disconnect with its documented reason; the probe survives with bounded memory',
    async () => {
      const pid = probe.pid;
      let rssPeak = 0;
      const check = async () => {
        rssPeak = Math.max(rssPeak, rssBytes(pid));
        const metrics = (await probe.get('/metrics')).body;
        const legs = (await probe.get('/api/v1/legs')).json().legs as Array<{
          name: string;
          connected: boolean;
          lastReason: string | null;
        }>;
        return CASES.map((c) => {
          const total = metricValue(metrics, 't3probe_disconnects_total', { leg: c.leg });
          const right =
            c.reason === null ? 0 : metricValue(metrics, 't3probe_disconnects_total', { leg: c.leg, reason: c.reason });
          const state = legs.find((l) => l.name === c.leg);
          const ok =
            c.reason === null
              ? total === 0 && state?.connected === true
              : total >= 1 && right === total && state?.lastReason === c.reason;
          return { leg: c.leg, expected: c.reason, total, right, lastReason: state?.lastReason ?? null, ok };
        });
      };
      // The run's length is the point (the slow cases fail twice, memory is watched throughout)...
      for (let t = 0; t < RUN_MS; t += 2_000) {
        await sleep(2_000);
        rssPeak = Math.max(rssPeak, rssBytes(pid));
      }
      // ...and a case still on its way on a loaded machine gets a bounded while more. Waiting cannot hide a
      // wrong reason: counters only grow, so a disconnect with another reason stays wrong for good.
      let results = await check();
      await waitFor(async () => (results = await check()).every((r) => r.ok), {
        timeoutMs: 20_000,
        intervalMs: 1_000,
        what: 'every hostile case counted with its reason',
      }).catch(() => undefined);
      const counted = results.filter((r) => r.ok).length;
      // The suite's number for the README: share of cases counted with the documented reason.
      console.log(
        `hostile cases: ${counted}/${results.length} (${((100 * counted) / results.length).toFixed(0)} %) as documented; ` +
          `probe restarts: ${probe.proc.exitCode === null ? 0 : 1}`
      );
      expect(results.filter((r) => !r.ok)).toEqual([]);

      // Survived: same process, still serving, memory bounded.
      expect(probe.proc.exitCode).toBeNull();
      expect(probe.proc.signalCode).toBeNull();
      expect(probe.pid).toBe(pid);
      expect((await probe.get('/healthz')).status).toBe(200);
      console.log(`probe RSS peak ${(rssPeak / MB).toFixed(1)} MB`);
      expect(rssPeak).toBeLessThan(RSS_LIMIT);
      // Nothing escaped as an unhandled error: every log line is JSON and none is an error.
      expect(probe.lines.filter((l) => l.level === 'invalid' || l.level === 'error')).toEqual([]);
      expect(probe.stderr).toBe('');
    },
    RUN_MS + 60_000
  );
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpLegConfig } from './http-config.js';
import { HttpLeg } from './http.js';
import { disconnects, reconnects, recorder, steadyClock } from './testing.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

async function target(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const http = createServer(handler);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    http.closeAllConnections();
    return new Promise((r) => http.close(r));
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/.well-known/t3/environment`;
}

function leg(url: string, over: Partial<HttpLegConfig> = {}) {
  const rec = recorder();
  const l = new HttpLeg(
    { name: 't3serve', type: 'http', url, segments: ['serve'], intervalMs: 100, timeoutMs: 300, headers: {}, ...over },
    steadyClock,
    rec.hooks
  );
  cleanups.push(() => l.stop());
  return { leg: l, ...rec };
}

describe('HttpLeg', () => {
  it('2xx: connected, request latency as RTT, on cadence', async () => {
    let hits = 0;
    const url = await target((_req, res) => {
      hits++;
      res.end('{"environmentId":"x"}');
    });
    const { leg: l, seen, waitFor } = leg(url);
    l.start();
    await waitFor((x) => x.filter((e) => e.kind === 'rtt').length >= 3);
    expect(seen[0]).toEqual({ kind: 'connected', up: true });
    expect(disconnects(seen)).toEqual([]);
    expect(hits).toBeLessThanOrEqual(5);
  });

  it('5xx then recovery: http_5xx once, then a reconnect', async () => {
    let status = 503;
    const url = await target((_req, res) => res.writeHead(status).end());
    const { leg: l, seen, waitFor } = leg(url);
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(seen)[0]!.reason).toBe('http_5xx');
    await new Promise((r) => setTimeout(r, 250));
    expect(disconnects(seen)).toHaveLength(1);
    status = 200;
    await waitFor((x) => reconnects(x).length === 1);
    expect(reconnects(seen)[0]!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('404 is http_4xx', async () => {
    const url = await target((_req, res) => res.writeHead(404).end());
    const { leg: l, seen, waitFor } = leg(url);
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(seen)[0]!.reason).toBe('http_4xx');
  });

  it('no answer within the timeout → heartbeat_timeout (the request timed out)', async () => {
    const url = await target(() => undefined);
    const { leg: l, seen, waitFor } = leg(url);
    const started = Date.now();
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(seen)[0]!.reason).toBe('heartbeat_timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('refused and dns', async () => {
    const url = await target(() => undefined);
    await cleanups.pop()!();
    const refused = leg(url);
    refused.leg.start();
    await refused.waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(refused.seen)[0]!.reason).toBe('refused');
    const dns = leg('http://no-such-host.invalid/x');
    dns.leg.start();
    await dns.waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(dns.seen)[0]!.reason).toBe('dns');
  });
});

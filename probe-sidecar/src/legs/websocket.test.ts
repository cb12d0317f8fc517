import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WebsocketLegConfig } from './websocket-config.js';
import { SelfMonitor } from '../selfmon.js';
import type { ProbeLeg } from './leg.js';
import { busyWait, disconnects, reconnects, recorder, steadyClock } from './testing.js';
import { MAX_PAYLOAD_BYTES, WebsocketLeg, isT3Pong } from './websocket.js';

interface StandinBehaviour {
  pong: boolean;
  onConnection?: (ws: WebSocket) => void;
  /** The descriptor's orchestrationProtocolVersion; the upgrade then requires it (426 without). */
  version?: number;
  /** Every other HTTP request (tickets…); unset: 404. */
  onRequest?: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * A minimal t3-like server for unit tests: serves the environment descriptor, answers {"_tag":"Ping"}
 * with a Pong unless told not to, and refuses an upgrade without the descriptor's version (426).
 */
async function server(behaviour: StandinBehaviour = { pong: true }) {
  const descriptorRequests: string[] = [];
  const http: Server = createServer((req, res) => {
    if (req.url?.endsWith('/.well-known/t3/environment')) {
      descriptorRequests.push(req.url);
      const version = behaviour.version === undefined ? {} : { orchestrationProtocolVersion: behaviour.version };
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ label: 'x', ...version }));
    }
    if (behaviour.onRequest) {
      return behaviour.onRequest(req, res);
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    verifyClient: (info, done) => {
      const asked = new URL(info.req.url ?? '/', 'http://x').searchParams.get('orchestrationProtocol');
      return behaviour.version === undefined || asked === String(behaviour.version) ? done(true) : done(false, 426);
    },
  });
  const sockets = new Set<WebSocket>();
  const urls: string[] = [];
  const extensions: string[] = [];
  wss.on('connection', (ws, req) => {
    urls.push(req.url ?? '');
    extensions.push(String(req.headers['sec-websocket-extensions'] ?? ''));
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      if (behaviour.pong && String(data) === '{"_tag":"Ping"}') {
        ws.send('{"_tag":"Pong"}');
      }
    });
    behaviour.onConnection?.(ws);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  cleanups.push(async () => {
    for (const s of sockets) {
      s.terminate();
    }
    wss.close();
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  });
  return { http, port, url: `ws://127.0.0.1:${port}/ws`, sockets, behaviour, urls, extensions, descriptorRequests };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

/** Once `on`, every upgrade to `http` is answered 401 before the WebSocket server sees it. */
function refuseUpgradesOf(http: Server): { on: boolean } {
  const refusal = { on: false };
  http.prependListener('upgrade', (_req, socket) => {
    if (refusal.on) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    }
  });
  return refusal;
}

/** A token file in a fresh directory, removed after the test. */
function tokenFileWith(token: string): string {
  const dir = mkdtempSync(join(tmpdir(), 't3probe-token-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'token');
  writeFileSync(file, `${token}\n`);
  return file;
}

const auth = (tokenFile: string, recheckMs = 60_000) => ({ tokenFile, recheckMs });

function leg(
  url: string,
  over: Partial<WebsocketLegConfig> = {},
  clock = steadyClock,
  handshakeMs?: number,
  refusedMs = 60_000
) {
  const rec = recorder();
  const cfg: WebsocketLegConfig = {
    name: 'internal',
    type: 'websocket',
    url,
    protocol: 't3',
    segments: ['traefik'],
    intervalMs: 100,
    timeoutMs: 400,
    headers: {},
    auth: null,
    compression: true,
    ...over,
  };
  const policy = { initialMs: 50, maxMs: 200, refusedMs };
  const l: ProbeLeg = new WebsocketLeg(cfg, policy, clock, rec.hooks, handshakeMs);
  cleanups.push(() => l.stop());
  return { leg: l, ...rec };
}

describe('isT3Pong', () => {
  const pong = (text: string): boolean => isT3Pong(Buffer.from(text));

  it('recognises a Pong alone or in a batch, nothing else', () => {
    expect(pong('{"_tag":"Pong"}')).toBe(true);
    expect(pong('{ "_tag": "Pong" }')).toBe(true);
    expect(pong('[{"_tag":"Chunk"},{"_tag":"Pong"}]')).toBe(true);
    expect(pong('{"_tag":"Exit","value":"Pong"}')).toBe(false);
    expect(pong('Pong!')).toBe(false);
    expect(pong('null')).toBe(false);
  });

  it('does not take another frame as long as the bare Pong for one', () => {
    expect(pong('{"_tag":"Ping"}')).toBe(false);
    expect(pong('{"_tag":"Pong"]')).toBe(false);
  });
});

describe('WebsocketLeg', () => {
  it('connects, measures Ping→Pong round trips, stays up', async () => {
    const s = await server();
    const { leg: l, seen, waitFor } = leg(s.url);
    l.start();
    await waitFor((x) => x.filter((e) => e.kind === 'rtt').length >= 3);
    expect(seen[0]).toEqual({ kind: 'connected', up: true });
    expect(disconnects(seen)).toEqual([]);
    expect(l.state()).toMatchObject({ connected: true, lastReason: null });
    expect(l.state().lastRttMs).toBeLessThan(100);
  });

  it('only a Pong proves life, as for the t3 client: other frames and RFC pings do not hold off the watchdog', async () => {
    const s = await server({
      pong: false,
      onConnection: (ws) => {
        let n = 0;
        const t = setInterval(() => {
          const frames = ['\u0000garbage{', Buffer.from([1, 2, 3]), '{"_tag":"Chunk","requestId":"1"}'];
          ws.send(frames[n++ % frames.length]!);
          ws.ping();
        }, 50);
        ws.on('close', () => clearInterval(t));
      },
    });
    const { leg: l, seen, waitFor } = leg(s.url);
    l.start();
    await waitFor((x) => disconnects(x).length === 1, 3000);
    const d = disconnects(seen)[0]!;
    expect(d.reason).toBe('heartbeat_timeout');
    expect(d.time - d.lastHeard).toBeGreaterThanOrEqual(400);
    expect(seen.filter((e) => e.kind === 'rtt')).toEqual([]);
  });

  it('silence → heartbeat_timeout after the timeout, then reconnects when the server answers again', async () => {
    const s = await server();
    const { leg: l, seen, waitFor } = leg(s.url);
    l.start();
    await waitFor((x) => x.some((e) => e.kind === 'rtt'));
    const silentFrom = Date.now();
    s.behaviour.pong = false;
    await waitFor((x) => disconnects(x).length === 1, 3000);
    const d = disconnects(seen)[0]!;
    expect(d.reason).toBe('heartbeat_timeout');
    // Fired one timeout after the last Pong, not much later.
    expect(d.time - d.lastHeard).toBeGreaterThanOrEqual(400);
    expect(d.time - silentFrom).toBeLessThan(400 + 300);
    s.behaviour.pong = true;
    await waitFor((x) => reconnects(x).length === 1, 3000);
    expect(reconnects(seen)[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(reconnects(seen)[0]!.lastFailure).toBeGreaterThanOrEqual(d.time);
    expect(l.state()).toMatchObject({ connected: true, lastReason: 'heartbeat_timeout' });
  });

  it('a clean close from the server is server_close; one disconnect per outage', async () => {
    const s = await server({ pong: true, onConnection: (ws) => setTimeout(() => ws.close(1000, 'bye'), 150) });
    const { leg: l, seen, waitFor } = leg(s.url);
    l.start();
    await waitFor((x) => disconnects(x).length >= 1);
    expect(disconnects(seen)[0]!.reason).toBe('server_close');
  });

  it('a TCP reset after open is recovered from the socket: reset, not abnormal_close', async () => {
    const s = await server({
      pong: true,
      onConnection: (ws) =>
        setTimeout(() => (ws as unknown as { _socket: import('node:net').Socket })._socket.resetAndDestroy(), 150),
    });
    const { leg: l, seen, waitFor } = leg(s.url);
    l.start();
    await waitFor((x) => disconnects(x).length >= 1);
    expect(disconnects(seen)[0]!.reason).toBe('reset');
  });

  it('a frame over maxPayload fails the leg at once as protocol_error, without waiting for the close reply', async () => {
    const s = await server({
      pong: true,
      onConnection: (ws) => {
        ws.send('x'.repeat(MAX_PAYLOAD_BYTES + 1));
        // The peer stops reading: it will never answer the probe's close frame.
        (ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
      },
    });
    const { leg: l, seen, waitFor } = leg(s.url, { intervalMs: 1000, timeoutMs: 5000 });
    l.start();
    await waitFor((x) => disconnects(x).length >= 1, 1500);
    expect(disconnects(seen)[0]!.reason).toBe('protocol_error');
  });

  it('the server dying without a close frame is abnormal_close', async () => {
    const s = await server({ pong: true, onConnection: (ws) => setTimeout(() => ws.terminate(), 150) });
    const { leg: l, seen, waitFor } = leg(s.url);
    l.start();
    await waitFor((x) => disconnects(x).length >= 1);
    expect(disconnects(seen)[0]!.reason).toBe('abnormal_close');
  });

  it('nothing listening → refused, and it keeps retrying with backoff', async () => {
    const s = await server();
    const url = s.url;
    await cleanups.pop()!();
    const { leg: l, seen, waitFor } = leg(url);
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(seen)[0]!.reason).toBe('refused');
    expect(l.state()).toMatchObject({ connected: false, lastReason: 'refused' });
    await new Promise((r) => setTimeout(r, 500));
    expect(disconnects(seen)).toHaveLength(1);
  });

  it('a 503 on the upgrade is http_5xx; 401/403 refuse the credentials, 426 the version; 404 is http_4xx', async () => {
    for (const [status, reason] of [
      [503, 'http_5xx'],
      [401, 'auth_failed'],
      [403, 'auth_failed'],
      [426, 'version_mismatch'],
      [404, 'http_4xx'],
    ] as const) {
      const http = createServer((_req, res) => res.writeHead(status).end());
      await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
      cleanups.push(() => new Promise((r) => http.close(() => r())));
      const { leg: l, seen, waitFor } = leg(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`);
      l.start();
      await waitFor((x) => disconnects(x).length === 1);
      expect(disconnects(seen)[0]!.reason).toBe(reason);
      await l.stop();
    }
  });

  it('no answer to the upgrade → handshake_timeout', async () => {
    const http = createServer((_req, res) => res.writeHead(200).end('{}'));
    const held: Array<{ destroy(): void }> = [];
    http.on('upgrade', (_req, socket) => void held.push(socket)); // accepts TCP, never answers
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      for (const socket of held) {
        socket.destroy();
      }
      return new Promise((r) => http.close(() => r()));
    });
    const {
      leg: l,
      seen,
      waitFor,
    } = leg(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, {}, steadyClock, 300);
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(seen)[0]!.reason).toBe('handshake_timeout');
  });

  it('protocol ping: RFC 6455 ping/pong frames give the round trip', async () => {
    const s = await server({ pong: false });
    const { leg: l, seen, waitFor } = leg(s.url, { protocol: 'ping' });
    l.start();
    await waitFor((x) => x.filter((e) => e.kind === 'rtt').length >= 2);
    expect(disconnects(seen)).toEqual([]);
  });

  it('ticket auth: a fresh ticket before every connect, sent as ?wsTicket=, the token never in the URL', async () => {
    const tokenFile = tokenFileWith('tok-1');
    let issued = 0;
    const auths: string[] = [];
    const s = await server({
      pong: true,
      version: 7,
      onConnection: (ws) => setTimeout(() => ws.close(1000), 150),
      onRequest: (req, res) => {
        auths.push(`${req.method} ${req.url} ${req.headers.authorization}`);
        if (req.headers.authorization !== 'Bearer tok-1') {
          return res.writeHead(401, { 'content-type': 'application/json' }).end('{"reason":"invalid_credential"}');
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ticket: `t${++issued}`, expiresAt: 'x' }));
      },
    });
    const { leg: l, waitFor } = leg(s.url, { auth: auth(tokenFile) });
    l.start();
    await waitFor(() => s.urls.length >= 2);
    expect(s.urls.slice(0, 2)).toEqual([
      '/ws?orchestrationProtocol=7&wsTicket=t1',
      '/ws?orchestrationProtocol=7&wsTicket=t2',
    ]);
    expect(auths[0]).toBe('POST /api/auth/websocket-ticket Bearer tok-1');
    writeFileSync(tokenFile, 'rotated-but-wrong\n');
    const wrong = leg(s.url, { auth: auth(tokenFile) });
    wrong.leg.start();
    await wrong.waitFor((x) => disconnects(x).length === 1);
    const refused = disconnects(wrong.seen)[0]!;
    expect(refused.reason).toBe('auth_failed');
    expect(refused.detail).toContain('invalid_credential');
    expect(refused.detail).not.toContain('rotated');
    expect(wrong.leg.state().misconfigured).toBe(true);
    expect(wrong.seen).toContainEqual({ kind: 'misconfigured', on: true });
    // A new token file is tried at once, long before the minute a refused leg otherwise waits.
    writeFileSync(tokenFile, 'tok-1\n');
    await wrong.waitFor((x) => reconnects(x).length === 1, 5000);
    expect(wrong.leg.state()).toMatchObject({ connected: true, misconfigured: false });
    expect(wrong.seen).toContainEqual({ kind: 'misconfigured', on: false });
  });

  it('a connected leg re-checks its token: a revoked one fails the leg as auth_failed; a 5xx on the check does not', async () => {
    let answer: [number, string] = [200, JSON.stringify({ ticket: 't', expiresAt: 'x' })];
    const s = await server({ pong: true, onRequest: (_req, res) => res.writeHead(answer[0]).end(answer[1]) });
    const { leg: l, seen, waitFor } = leg(s.url, { auth: auth(tokenFileWith('tok'), 100) });
    l.start();
    await waitFor(() => l.state().connected);
    answer = [503, ''];
    const checks = s.urls.length;
    await waitFor(() => s.urls.length === checks && seen.filter((e) => e.kind === 'rtt').length >= 5);
    expect(disconnects(seen)).toEqual([]);
    answer = [401, '{"reason":"invalid_credential"}'];
    await waitFor((x) => disconnects(x).length === 1, 3000);
    expect(disconnects(seen)[0]).toMatchObject({ reason: 'auth_failed' });
    expect(disconnects(seen)[0]!.detail).toMatch(/^token re-check: .*401: invalid_credential/);
    expect(l.state()).toMatchObject({ connected: false, misconfigured: true });
  });

  it('a ticket request refused (401, or 200 without a ticket) is auth_failed; its 503 is the path', async () => {
    const tokenFile = tokenFileWith('tok');
    for (const [status, body, reason] of [
      [200, '{"expiresAt":"x"}', 'auth_failed'],
      [403, '', 'auth_failed'],
      [503, '', 'http_5xx'],
    ] as const) {
      const s = await server({ pong: true, onRequest: (_req, res) => res.writeHead(status).end(body) });
      const { leg: l, seen, waitFor } = leg(s.url, { auth: auth(tokenFile) });
      l.start();
      await waitFor((x) => disconnects(x).length === 1);
      expect(disconnects(seen)[0]!.reason, `${status} ${body}`).toBe(reason);
      expect(l.state().misconfigured).toBe(reason === 'auth_failed');
      expect(s.urls).toEqual([]);
      await l.stop();
    }
  });

  it('a refusal after a path fault ends the path outage and begins one of the probe config', async () => {
    const s = await server({ pong: true, onConnection: (ws) => setTimeout(() => ws.close(1000), 100) });
    const refusal = refuseUpgradesOf(s.http);
    const { leg: l, seen, waitFor } = leg(s.url);
    l.start();
    await waitFor(() => l.state().connected);
    refusal.on = true;
    await waitFor((x) => disconnects(x).length === 2, 3000);
    expect(disconnects(seen).map((d) => d.reason)).toEqual(['server_close', 'auth_failed']);
    const [closed, refusedAt] = [disconnects(seen)[0]!, disconnects(seen)[1]!];
    // The path answered again at the refusal: that is when the path outage ended.
    expect(reconnects(seen)).toHaveLength(1);
    expect(reconnects(seen)[0]!.time).toBe(refusedAt.time);
    expect(refusedAt.lastHeard).toBe(refusedAt.time);
    expect(closed.time).toBeLessThanOrEqual(refusedAt.time);
    expect(l.state()).toMatchObject({ connected: false, misconfigured: true, lastReason: 'auth_failed' });
  });

  it('a path fault after a refusal begins at the last refusal, not at the last Pong before it', async () => {
    const s = await server({ pong: true, onConnection: (ws) => setTimeout(() => ws.close(1000), 100) });
    const refusal = refuseUpgradesOf(s.http);
    // A refused leg retries after 300 ms here (a minute by default).
    const { leg: l, seen, waitFor } = leg(s.url, {}, steadyClock, undefined, 300);
    l.start();
    await waitFor(() => l.state().connected);
    refusal.on = true;
    await waitFor((x) => disconnects(x).some((d) => d.reason === 'auth_failed'), 3000);
    const refusedAt = disconnects(seen).find((d) => d.reason === 'auth_failed')!;
    // The server goes away: the next attempt is refused by nobody (connection refused).
    await new Promise<void>((r) => {
      for (const sock of s.sockets) {
        sock.terminate();
      }
      s.http.closeAllConnections();
      s.http.close(() => r());
    });
    await waitFor((x) => disconnects(x).some((d) => d.reason === 'refused'), 3000);
    const gone = disconnects(seen).find((d) => d.reason === 'refused')!;
    expect(gone.lastHeard).toBeGreaterThanOrEqual(refusedAt.time);
    expect(l.state()).toMatchObject({ misconfigured: false, lastReason: 'refused' });
  });

  it("reads the server's protocol version at every connect; a version in the configured URL wins; none without", async () => {
    const s = await server({ pong: true, version: 3, onConnection: (ws) => setTimeout(() => ws.close(1000), 100) });
    const { leg: l, waitFor } = leg(s.url);
    l.start();
    await waitFor(() => s.urls.length >= 1);
    s.behaviour.version = 4; // the server was upgraded: the next connect follows it, no restart
    await waitFor(() => s.urls.some((u) => u.endsWith('=4')), 3000);
    expect(s.urls[0]).toBe('/ws?orchestrationProtocol=3');
    await l.stop();

    const pinned = leg(`${s.url}?orchestrationProtocol=4&clientSurface=probe`);
    const before = s.descriptorRequests.length;
    pinned.leg.start();
    await pinned.waitFor(() => pinned.leg.state().connected);
    expect(s.urls.at(-1)).toBe('/ws?orchestrationProtocol=4&clientSurface=probe');
    expect(s.descriptorRequests.length).toBe(before);
    await pinned.leg.stop();

    const older = await server({ pong: true });
    const plain = leg(older.url);
    plain.leg.start();
    await plain.waitFor(() => plain.leg.state().connected);
    expect(older.urls).toEqual(['/ws']);
    expect(older.descriptorRequests).toEqual(['/.well-known/t3/environment']);
  });

  it('under a base path: the descriptor and the ticket are read under it too', async () => {
    const seenPaths: string[] = [];
    const http = createServer((req, res) => {
      seenPaths.push(req.url ?? '');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => http.close(() => r())));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/t3/ws`;
    const { leg: l, waitFor } = leg(url, { auth: auth(tokenFileWith('tok')) });
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(seenPaths).toEqual(['/t3/.well-known/t3/environment', '/t3/api/auth/websocket-ticket']);
  });

  it('offers permessage-deflate as browsers do, unless compression is off', async () => {
    const s = await server();
    const on = leg(s.url);
    on.leg.start();
    await on.waitFor(() => on.leg.state().connected);
    const off = leg(s.url, { compression: false });
    off.leg.start();
    await off.waitFor(() => off.leg.state().connected);
    expect(s.extensions[0]).toContain('permessage-deflate');
    expect(s.extensions[1]).toBe('');
  });

  it('sends the configured headers', async () => {
    let host = '';
    const s = await server();
    s.http.on('upgrade', (req) => (host = req.headers.host ?? ''));
    const { leg: l, waitFor } = leg(s.url, { headers: { Host: 't3.example.com' } });
    l.start();
    await waitFor((x) => x.some((e) => e.kind === 'rtt'));
    expect(host).toBe('t3.example.com');
  });

  it('crossCheck: one extra heartbeat answered → its round trip; without an answer → null', async () => {
    const s = await server();
    const { leg: l, waitFor } = leg(s.url, { intervalMs: 10_000, timeoutMs: 20_000 });
    l.start();
    await waitFor(() => l.state().connected);
    const rtt = await l.crossCheck();
    expect(rtt).not.toBeNull();
    expect(rtt!).toBeLessThan(100);
    s.behaviour.pong = false;
    const quiet = leg(s.url, { intervalMs: 10_000, timeoutMs: 300 });
    quiet.leg.start();
    await quiet.waitFor(() => quiet.leg.state().connected);
    expect(await quiet.leg.crossCheck()).toBeNull();
  });

  it('a probe stall longer than the timeout is not blamed on the path (pongs sat unread)', async () => {
    const s = await server();
    const selfmon = new SelfMonitor({ tickMs: 50, thresholdMs: 200 });
    selfmon.start();
    cleanups.push(() => selfmon.stop());
    const { leg: l, seen, waitFor } = leg(s.url, {}, selfmon);
    l.start();
    await waitFor((x) => x.filter((e) => e.kind === 'rtt').length >= 2);
    const rttsBefore = seen.filter((e) => e.kind === 'rtt').length;
    busyWait(1500); // the probe's event loop is stuck far past the 400 ms watchdog
    await new Promise((r) => setTimeout(r, 600));
    expect(disconnects(seen)).toEqual([]);
    expect(seen.filter((e) => e.kind === 'rtt').length).toBeGreaterThan(rttsBefore);
    // The round trip that spanned the stall measured the probe, not the path: not recorded as RTT.
    expect(seen.filter((e) => e.kind === 'rtt').every((e) => (e as { ms: number }).ms < 1000)).toBe(true);
  });

  it('control: with a clock that knows of no stall, the same block fires the watchdog', async () => {
    const s = await server();
    const { leg: l, seen, waitFor } = leg(s.url);
    l.start();
    await waitFor((x) => x.filter((e) => e.kind === 'rtt').length >= 2);
    busyWait(1500);
    await new Promise((r) => setTimeout(r, 600));
    expect(disconnects(seen).map((d) => d.reason)).toEqual(['heartbeat_timeout']);
  });
});

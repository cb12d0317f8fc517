/** A `ws` client for the lab's tests: every wait bounded, every failure worded. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import WebSocket from 'ws';
import { CURRENT_PROTOCOL_VERSION } from './t3-standin';
import { withTimeout } from './wait';

/** Close codes by socket, recorded from the start so a close that already happened is not lost. */
const closeCodes = new WeakMap<WebSocket, number>();

export interface OpenWsOptions {
  /** Extra upgrade request headers, e.g. `Authorization`. */
  headers?: Record<string, string>;
  /** Offer permessage-deflate (the `ws` client's default, like a browser). */
  perMessageDeflate?: boolean;
}

/**
 * `url` as a current t3 client dials it: with `orchestrationProtocol=<version>` (none for an older server,
 * `version` null) and any `extra` query parameters, keeping those already there.
 */
export function t3Url(
  url: string,
  version: number | null = CURRENT_PROTOCOL_VERSION,
  extra: Record<string, string> = {}
): string {
  const u = new URL(url);
  if (version !== null) {
    u.searchParams.set('orchestrationProtocol', String(version));
  }
  for (const [k, v] of Object.entries(extra)) {
    u.searchParams.set(k, v);
  }
  return u.toString();
}

/** Opens a WebSocket; rejects with the HTTP status when the upgrade is refused. */
export function openWs(url: string, timeoutMs = 5_000, opts: OpenWsOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, {
    handshakeTimeout: timeoutMs,
    headers: opts.headers,
    perMessageDeflate: opts.perMessageDeflate ?? true,
  });
  ws.once('close', (code) => closeCodes.set(ws, code));
  // After the open, a failure shows as a close (1006); the listener keeps it from being an uncaught error.
  ws.on('error', () => undefined);
  const opened = new Promise<WebSocket>((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`upgrade refused: HTTP ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
  return withTimeout(opened, timeoutMs + 500, `open ${url}`).catch((err: unknown) => {
    ws.terminate();
    throw err;
  });
}

interface UpgradeAnswer {
  status: number;
  contentType: string | undefined;
  /** The refusal's body parsed as JSON (undefined for a 101 or a body that is not JSON). */
  body: unknown;
}

/**
 * Sends one WebSocket upgrade request and reports the server's answer without opening a WebSocket: the
 * status (101 when it would have switched) and, for a refusal, its JSON body.
 */
export function upgradeAnswer(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 2_000
): Promise<UpgradeAnswer> {
  const u = new URL(url);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  const answer = new Promise<UpgradeAnswer>((resolve, reject) => {
    const req = http.get(u, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
      timeout: timeoutMs,
    });
    req.once('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: undefined });
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body });
      });
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error('upgrade timed out')));
    req.once('error', reject);
  });
  return withTimeout(answer, timeoutMs + 500, `upgrade ${url}`);
}

/** The next text message, parsed as JSON. */
export function nextMessage(ws: WebSocket, timeoutMs: number): Promise<unknown> {
  let onMessage: ((data: WebSocket.RawData) => void) | undefined;
  const got = new Promise<unknown>((resolve) => {
    onMessage = (data) => resolve(JSON.parse(data.toString()));
    ws.once('message', onMessage);
  });
  return withTimeout(got, timeoutMs, 'next message').finally(() => {
    if (onMessage) {
      ws.off('message', onMessage);
    }
  });
}

/** Sends a t3 Ping and resolves with the round trip in ms once the Pong arrives. */
export async function pingRtt(ws: WebSocket, timeoutMs: number): Promise<number> {
  const start = performance.now();
  ws.send('{"_tag":"Ping"}');
  const msg = await nextMessage(ws, timeoutMs);
  if ((msg as { _tag?: unknown })._tag !== 'Pong') {
    throw new Error(`expected a Pong, got ${JSON.stringify(msg)}`);
  }
  return performance.now() - start;
}

/** Resolves with the close code once the socket (opened by openWs) has closed, at once if it already has. */
export function closed(ws: WebSocket, timeoutMs: number): Promise<number> {
  const code = closeCodes.get(ws);
  if (code !== undefined) {
    return Promise.resolve(code);
  }
  const done = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return withTimeout(done, timeoutMs, 'socket close');
}

/** True while the process exists and is not a zombie (an orphan's zombie may never be reaped here). */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

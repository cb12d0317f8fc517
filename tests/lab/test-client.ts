/** A `ws` client for the lab's tests: every wait bounded, every failure worded. */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { withTimeout } from './wait';

/** Close codes by socket, recorded from the start so a close that already happened is not lost. */
const closeCodes = new WeakMap<WebSocket, number>();

/** Opens a WebSocket; rejects with the HTTP status when the upgrade is refused. */
export function openWs(url: string, timeoutMs = 5_000): Promise<WebSocket> {
  const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
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

/**
 * HOSTILE targets for the lab: one small process that misbehaves on purpose, each way on its own loopback
 * port, so a probe pointed at all of them at once meets every kind of bad peer. Not a t3 server; only
 * `ok-tls` answers `{"_tag":"Ping"}` with `{"_tag":"Pong"}` (the control case: TLS that should work).
 *
 * WebSocket modes (probe leg type websocket, URL ws(s)://127.0.0.1:<port>/ws):
 *   garbage-text   upgrade, then a burst of non-JSON / wrong-shape text frames, then nothing (no Pong)
 *   binary         upgrade, then a burst of binary frames, then nothing
 *   invalid-utf8   upgrade, then a text frame that is not UTF-8
 *   bad-opcode     upgrade, then a frame with a reserved opcode
 *   oversize       upgrade, then one 4 MiB text frame (over the probe's maxPayload)
 *   no-handshake   accept TCP, never answer
 *   open-close     101 Switching Protocols, then close the TCP connection at once (no close frame)
 *   open-reset     101, then (300 ms later, the connection open) a TCP reset
 *   accept-reset   accept TCP, then a reset before any byte
 *   close-<code>   upgrade, then a close frame with <code> (1002 1003 1008 1011 4000 4999)
 *   close-1004     a raw close frame with the reserved code 1004 (invalid on the wire)
 *   trickle        the 101 answer, one byte a second
 *   redirect       302 to the ok-tls server
 *   upgrade-401 / upgrade-426 / upgrade-503   the upgrade answered with that status
 *   tls-self-signed / tls-expired / ok-tls      wss with a self-signed, an expired (CA-signed) or a valid cert
 * HTTP modes (leg type http, URL http(s)://127.0.0.1:<port>/.well-known/t3/environment):
 *   http-trickle   200 with headers, then the body one byte a second
 *   http-redirect  302 elsewhere
 *   http-garbage   bytes that are not HTTP
 *   http-reset     accept, then a TCP reset
 *   http-no-answer accept, never answer
 *   https-self-signed / https-expired
 *
 * Run: node --import tsx lab/hostile.ts --certs <dir from certs.ts makeCerts>
 * Prints `{"event":"ready","port":<first>,"ports":{<mode>:<port>}}`; exits when stdin closes or on SIGTERM.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseArgs } from './args';

export const CLOSE_CODES = [1002, 1003, 1008, 1011, 4000, 4999] as const;

const WS_MODES = [
  'garbage-text',
  'binary',
  'invalid-utf8',
  'bad-opcode',
  'oversize',
  'no-handshake',
  'open-close',
  'open-reset',
  'accept-reset',
  ...CLOSE_CODES.map((c) => `close-${c}` as const),
  'close-1004',
  'trickle',
  'redirect',
  'upgrade-401',
  'upgrade-426',
  'upgrade-503',
  'tls-self-signed',
  'tls-expired',
  'ok-tls',
] as const;
const HTTP_MODES = [
  'http-trickle',
  'http-redirect',
  'http-garbage',
  'http-reset',
  'http-no-answer',
  'https-self-signed',
  'https-expired',
] as const;

/** Bytes above the probe's maxPayload (1 MiB), far below ws's own default (100 MiB). */
const OVERSIZE_BYTES = 4 * 1024 * 1024;
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const sockets = new Set<Duplex>();
const timers = new Set<NodeJS.Timeout>();

function track(socket: Duplex): void {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  // Peers that hang up or reset are the point of this server: their errors are expected.
  socket.on('error', () => undefined);
}

/** Writes `bytes` one a second; stops when the stream goes. */
function trickle(out: NodeJS.WritableStream & { destroyed: boolean }, bytes: Buffer): void {
  let i = 0;
  const timer = setInterval(() => {
    if (i >= bytes.length || out.destroyed) {
      clearInterval(timer);
      timers.delete(timer);
      return;
    }
    out.write(bytes.subarray(i, ++i));
  }, 1000);
  timers.add(timer);
}

/** The 101 answer for a raw upgrade, so a mode can write whatever frames it likes afterwards. */
function switchProtocols(req: http.IncomingMessage): string {
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accept = createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
}

/** An unmasked server frame: FIN + opcode, then a payload of at most 125 bytes. */
function frame(opcode: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

const GARBAGE_TEXT = [
  'not json at all',
  '{"_tag":',
  '{"_tag":"Pong"',
  '[{"_tag":"Pong"},',
  'null',
  '{"_tag":null}',
  '"Pong"',
  '{}',
  '\u0000\u0001\u0002',
  'x'.repeat(64_000),
];

function onWsConnection(mode: string, ws: WebSocket): void {
  ws.on('error', () => undefined);
  if (mode === 'garbage-text') {
    GARBAGE_TEXT.forEach((t) => ws.send(t));
  } else if (mode === 'binary') {
    for (let i = 0; i < 10; i++) {
      ws.send(Buffer.from([0xff, 0x00, i, 0x7b, 0x22]), { binary: true });
    }
  } else if (mode === 'oversize') {
    ws.send('x'.repeat(OVERSIZE_BYTES));
  } else if (mode.startsWith('close-')) {
    ws.close(Number(mode.slice('close-'.length)), 'hostile');
  } else if (mode === 'ok-tls') {
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data.toString().includes('"Ping"')) {
        ws.send(JSON.stringify({ _tag: 'Pong' }));
      }
    });
  }
}

/** Upgrades that are answered by hand with the bytes the mode calls for. */
function rawUpgrade(mode: string, req: http.IncomingMessage, socket: Duplex, redirectTo: () => string): boolean {
  const s = socket as net.Socket;
  switch (mode) {
    case 'invalid-utf8':
      s.write(switchProtocols(req));
      s.write(frame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
      return true;
    case 'bad-opcode':
      s.write(switchProtocols(req));
      s.write(frame(0x3, Buffer.from('?')));
      return true;
    case 'close-1004':
      s.write(switchProtocols(req));
      s.write(frame(0x8, Buffer.from([0x03, 0xec])));
      return true;
    case 'open-close':
      s.end(switchProtocols(req));
      return true;
    case 'open-reset':
      s.write(switchProtocols(req));
      // Once the client has opened (a reset racing the 101 would be a connect failure instead).
      const timer = setTimeout(() => {
        timers.delete(timer);
        s.resetAndDestroy();
      }, 300);
      timers.add(timer);
      return true;
    case 'trickle':
      trickle(s, Buffer.from(switchProtocols(req)));
      return true;
    case 'redirect':
      s.end(`HTTP/1.1 302 Found\r\nLocation: ${redirectTo()}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return true;
    case 'upgrade-401':
    case 'upgrade-426':
    case 'upgrade-503': {
      const status = {
        'upgrade-401': '401 Unauthorized',
        'upgrade-426': '426 Upgrade Required',
        'upgrade-503': '503 Service Unavailable',
      }[mode];
      s.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return true;
    }
    default:
      return false;
  }
}

function httpMode(mode: string, req: http.IncomingMessage, res: http.ServerResponse, redirectTo: () => string): void {
  if (mode === 'http-trickle') {
    const body = Buffer.from('{"environmentId":"trickle","label":"one byte a second"}');
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.flushHeaders();
    trickle(res, body);
  } else if (mode === 'http-redirect') {
    res.writeHead(302, { location: redirectTo() }).end();
  } else {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"environmentId":"hostile-ok"}');
  }
  void req;
}

/** TCP-level modes: no HTTP parser between the peer and what we send. */
function onTcp(mode: string, socket: net.Socket): void {
  if (mode === 'accept-reset' || mode === 'http-reset') {
    socket.resetAndDestroy();
  } else if (mode === 'http-garbage') {
    socket.end('SSH-2.0-definitely-not-http\r\n\r\n\u0000\u0001garbage');
  }
  // no-handshake and http-no-answer: say nothing and keep the socket.
}

const TCP_MODES = new Set(['no-handshake', 'accept-reset', 'http-garbage', 'http-reset', 'http-no-answer']);

function tlsFor(mode: string, certDir: string): { cert: Buffer; key: Buffer } | null {
  const name = mode.endsWith('self-signed')
    ? 'self'
    : mode.endsWith('expired')
      ? 'expired'
      : mode === 'ok-tls'
        ? 'valid'
        : null;
  return name
    ? { cert: readFileSync(join(certDir, `${name}.pem`)), key: readFileSync(join(certDir, `${name}.key`)) }
    : null;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function startHostile(certDir: string): Promise<{ ports: Record<string, number>; close(): void }> {
  const ports: Record<string, number> = {};
  const servers: net.Server[] = [];
  const redirectTo = (): string => `wss://127.0.0.1:${ports['ok-tls']}/ws`;
  for (const mode of [...WS_MODES, ...HTTP_MODES]) {
    let server: net.Server;
    if (TCP_MODES.has(mode)) {
      server = net.createServer((s) => {
        track(s);
        onTcp(mode, s);
      });
    } else {
      const tls = tlsFor(mode, certDir);
      const handler = (req: http.IncomingMessage, res: http.ServerResponse): void =>
        httpMode(mode, req, res, redirectTo);
      const web = tls ? https.createServer(tls, handler) : http.createServer(handler);
      web.on('connection', (s: net.Socket) => track(s));
      web.on('secureConnection', (s: net.Socket) => track(s));
      web.on('tlsClientError', () => undefined);
      const wss = new WebSocketServer({ noServer: true });
      wss.on('connection', (ws) => onWsConnection(mode, ws));
      web.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
        track(socket);
        if (!rawUpgrade(mode, req, socket, redirectTo)) {
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        }
      });
      server = web;
    }
    servers.push(server);
    ports[mode] = await listen(server);
  }
  return {
    ports,
    close: () => {
      timers.forEach(clearInterval);
      sockets.forEach((s) => s.destroy());
      servers.forEach((s) => s.close());
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { certs: 'string' });
  if (typeof args.certs !== 'string') {
    throw new Error('--certs <dir> is required (lab/certs.ts makeCerts writes one)');
  }
  const hostile = await startHostile(args.certs);
  const stop = (): void => {
    hostile.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.stdin.once('end', stop).resume();
  const first = Object.values(hostile.ports)[0];
  process.stdout.write(JSON.stringify({ event: 'ready', port: first, ports: hostile.ports, pid: process.pid }) + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`hostile: ${(err as Error).message}\n`);
    process.exit(2);
  });
}

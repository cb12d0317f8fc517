/**
 * STAND-IN for a `t3 serve` process, for the lab only. It is not t3: it implements the few wire facts in
 * /work/shared/t3-protocol.md that the probe relies on, plus a control API so tests can change its
 * behaviour while it runs.
 *
 * Public port (what probes and clients see):
 *   GET  /.well-known/t3/environment      JSON descriptor, no auth (answered after `httpDelayMs`)
 *   POST /api/auth/websocket-ticket       `Authorization: Bearer <token>` → {ticket, expiresAt}; single-use
 *   GET  /ws (upgrade)                    auth `none`, or `ticket`: `?wsTicket=<ticket>` required (401 if not)
 *   Frames: see t3-rpc.ts. `{"_tag":"Ping"}` → `{"_tag":"Pong"}` after `pongDelayMs`; RFC 6455 ping
 *   frames get a pong frame under the same rules, so `protocol: ping` legs can be stalled too.
 *
 * Control port (a second loopback port, JSON in and out, 400 `{"error"}` naming the bad key):
 *   GET  /state                           settings and counters
 *   POST /settings  {pongDelayMs?, silent?, httpDelayMs?, auth?, ticketTtlMs?}   change at run time
 *   POST /close-all {code, reason?}       close every WebSocket with a close frame carrying `code`
 *   POST /terminate-all                   destroy every WebSocket's TCP connection (no close frame)
 *   POST /reset-counters
 * `silent` = the RPC loop answers nothing (no Pong, no Exit, no pong frame) but keeps reading and counting.
 *
 * Run: node --import tsx tests/lab/t3-standin.ts [--host 127.0.0.1] [--port N] [--control-port N]
 *        [--auth none|ticket] [--token T] [--ticket-ttl-ms N] [--pong-delay-ms N]
 * `--host` is the public port's address; the control port always stays on 127.0.0.1.
 * Prints one JSON line `{"event":"ready","port":…,"controlPort":…,"pid":…}` when listening; exits when
 * its stdin closes (so it cannot outlive the lab that started it) or on SIGTERM.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, WebSocket } from 'ws';
import { handleFrame, type ServerMessage } from './t3-rpc';
import { TicketStore } from './tickets';
import { parseArgs } from './args';
import { readJsonBody, sendJson } from './http-json';

export type AuthMode = 'none' | 'ticket';

export interface StandinSettings {
  pongDelayMs: number;
  silent: boolean;
  httpDelayMs: number;
  auth: AuthMode;
  ticketTtlMs: number;
}

export interface StandinOptions extends Partial<StandinSettings> {
  host?: string;
  port?: number;
  controlPort?: number;
  /** The bearer token that buys tickets. */
  token?: string;
}

export interface StandinCounters {
  connectionsOpen: number;
  connectionsTotal: number;
  pingsSeen: number;
  pongsSent: number;
  rfcPingsSeen: number;
  requestsSeen: number;
  exitsSent: number;
  garbageSeen: number;
  ticketsIssued: number;
  upgradesRejected: number;
  environmentRequests: number;
}

export interface StandinState {
  settings: StandinSettings;
  counters: StandinCounters;
}

export interface Standin {
  port: number;
  controlPort: number;
  state(): StandinState;
  update(patch: Partial<StandinSettings>): StandinState;
  closeAll(code: number, reason?: string): number;
  terminateAll(): number;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'lab-token';
const DEFAULT_TICKET_TTL_MS = 5 * 60_000;

export const ENVIRONMENT = {
  environmentId: 'lab-standin',
  label: 't3 stand-in (lab)',
  platform: { os: process.platform, arch: process.arch },
  serverVersion: '0.0.0-standin',
  capabilities: { websocket: true },
};

export async function startStandin(opts: StandinOptions = {}): Promise<Standin> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? DEFAULT_TOKEN;
  const settings: StandinSettings = validateSettings(
    {
      pongDelayMs: opts.pongDelayMs ?? 0,
      silent: opts.silent ?? false,
      httpDelayMs: opts.httpDelayMs ?? 0,
      auth: opts.auth ?? 'none',
      ticketTtlMs: opts.ticketTtlMs ?? DEFAULT_TICKET_TTL_MS,
    },
    {}
  );
  const tickets = new TicketStore(settings.ticketTtlMs);
  const counters = zeroCounters();
  const sockets = new Set<WebSocket>();
  const timers = new Set<NodeJS.Timeout>();

  // Every delayed answer is tracked so close() leaves no timer behind; silence is re-checked when it fires.
  function later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      return fn();
    }
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  function send(ws: WebSocket, msg: ServerMessage): boolean {
    if (settings.silent || ws.readyState !== WebSocket.OPEN) {
      return false;
    }
    ws.send(JSON.stringify(msg));
    return true;
  }

  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    counters.connectionsOpen++;
    counters.connectionsTotal++;
    ws.on('close', () => {
      sockets.delete(ws);
      counters.connectionsOpen--;
    });
    ws.on('error', () => ws.terminate());
    ws.on('ping', (data) => {
      counters.rfcPingsSeen++;
      later(settings.pongDelayMs, () => {
        if (!settings.silent && ws.readyState === WebSocket.OPEN) {
          ws.pong(data);
        }
      });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        counters.garbageSeen++;
        send(ws, { _tag: 'Defect', defect: 'binary frames are not part of the protocol' });
        return;
      }
      for (const outcome of handleFrame(data.toString('utf8'))) {
        if (outcome.kind === 'pong') {
          counters.pingsSeen++;
          later(settings.pongDelayMs, () => {
            if (send(ws, { _tag: 'Pong' })) {
              counters.pongsSent++;
            }
          });
        } else if (outcome.kind === 'request') {
          counters.requestsSeen++;
          if (send(ws, outcome.reply)) {
            counters.exitsSent++;
          }
        } else if (outcome.kind === 'defect') {
          counters.garbageSeen++;
          send(ws, outcome.reply);
        }
      }
    });
  });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    if (req.method === 'GET' && url.pathname === '/.well-known/t3/environment') {
      counters.environmentRequests++;
      later(settings.httpDelayMs, () => sendJson(res, 200, ENVIRONMENT));
    } else if (req.method === 'POST' && url.pathname === '/api/auth/websocket-ticket') {
      if (req.headers.authorization !== `Bearer ${token}`) {
        sendJson(res, 401, { error: 'missing or wrong bearer token' });
        return;
      }
      counters.ticketsIssued++;
      sendJson(res, 200, tickets.issue());
    } else if (url.pathname === '/ws') {
      sendJson(res, 426, { error: '/ws needs a WebSocket upgrade' });
    } else {
      sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    }
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const refuse = (status: string, error: string): void => {
      counters.upgradesRejected++;
      const body = JSON.stringify({ error });
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
      );
    };
    socket.on('error', () => socket.destroy());
    if (url.pathname !== '/ws') {
      return refuse('404 Not Found', `no WebSocket route ${url.pathname}`);
    }
    if (settings.auth === 'ticket') {
      const check = tickets.redeem(url.searchParams.get('wsTicket'));
      if (check !== 'ok') {
        return refuse('401 Unauthorized', `wsTicket ${check}`);
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const control = http.createServer((req, res) => {
    void handleControl(req, res).catch((err: unknown) => {
      sendJson(res, 400, { error: err instanceof Error ? err.message : String(err) });
    });
  });

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const route = `${req.method} ${new URL(req.url ?? '/', 'http://control').pathname}`;
    switch (route) {
      case 'GET /state':
        return sendJson(res, 200, api.state());
      case 'POST /settings':
        return sendJson(res, 200, api.update((await readJsonBody(req)) as Partial<StandinSettings>));
      case 'POST /close-all': {
        const body = (await readJsonBody(req)) as { code?: unknown; reason?: unknown };
        if (typeof body.code !== 'number') {
          throw new Error('close-all: code must be a number');
        }
        if (body.reason !== undefined && typeof body.reason !== 'string') {
          throw new Error('close-all: reason must be a string');
        }
        return sendJson(res, 200, { closed: api.closeAll(body.code, body.reason) });
      }
      case 'POST /terminate-all':
        return sendJson(res, 200, { terminated: api.terminateAll() });
      case 'POST /reset-counters':
        Object.assign(counters, zeroCounters(), { connectionsOpen: sockets.size });
        return sendJson(res, 200, api.state());
      default:
        return sendJson(res, 404, { error: `no control route ${route}` });
    }
  }

  const api: Standin = {
    port: 0,
    controlPort: 0,
    state: () => ({ settings: { ...settings }, counters: { ...counters } }),
    update(patch) {
      Object.assign(settings, validateSettings(settings, patch));
      tickets.setTtl(settings.ticketTtlMs);
      return api.state();
    },
    closeAll(code, reason) {
      if (!isSendableCloseCode(code)) {
        throw new Error(`close-all: code ${code} cannot be sent in a close frame`);
      }
      for (const ws of sockets) {
        ws.close(code, reason);
      }
      return sockets.size;
    },
    terminateAll() {
      const n = sockets.size;
      for (const ws of sockets) {
        ws.terminate();
      }
      return n;
    },
    async close() {
      for (const t of timers) {
        clearTimeout(t);
      }
      timers.clear();
      for (const ws of sockets) {
        ws.terminate();
      }
      server.closeAllConnections();
      control.closeAllConnections();
      await Promise.all([closeServer(server), closeServer(control)]);
      wss.close();
    },
  };

  api.port = await listen(server, host, opts.port ?? 0);
  api.controlPort = await listen(control, '127.0.0.1', opts.controlPort ?? 0);
  return api;
}

/** Merges `patch` into `base`, rejecting unknown keys and bad values with a message naming the key. */
export function validateSettings(base: StandinSettings, patch: Partial<StandinSettings>): StandinSettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new Error('settings must be a JSON object');
  }
  const next = { ...base, ...patch };
  for (const key of Object.keys(patch)) {
    if (!(key in base)) {
      throw new Error(`unknown setting ${key}`);
    }
  }
  for (const key of ['pongDelayMs', 'httpDelayMs'] as const) {
    if (!Number.isFinite(next[key]) || next[key] < 0) {
      throw new Error(`${key} must be a number >= 0, got ${JSON.stringify(next[key])}`);
    }
  }
  if (!Number.isFinite(next.ticketTtlMs) || next.ticketTtlMs <= 0) {
    throw new Error(`ticketTtlMs must be a number > 0, got ${JSON.stringify(next.ticketTtlMs)}`);
  }
  if (typeof next.silent !== 'boolean') {
    throw new Error(`silent must be true or false, got ${JSON.stringify(next.silent)}`);
  }
  if (next.auth !== 'none' && next.auth !== 'ticket') {
    throw new Error(`auth must be "none" or "ticket", got ${JSON.stringify(next.auth)}`);
  }
  return next;
}

/** RFC 6455 §7.4: codes a peer may put in a close frame (1005, 1006 and 1015 are reserved for reporting). */
export function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999))
  );
}

function zeroCounters(): StandinCounters {
  return {
    connectionsOpen: 0,
    connectionsTotal: 0,
    pingsSeen: 0,
    pongsSent: 0,
    rfcPingsSeen: 0,
    requestsSeen: 0,
    exitsSent: 0,
    garbageSeen: 0,
    ticketsIssued: 0,
    upgradesRejected: 0,
    environmentRequests: 0,
  };
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    host: 'string',
    port: 'int',
    'control-port': 'int',
    auth: 'string',
    token: 'string',
    'ticket-ttl-ms': 'int',
    'pong-delay-ms': 'int',
  });
  const standin = await startStandin({
    host: args.host as string | undefined,
    port: args.port as number | undefined,
    controlPort: args['control-port'] as number | undefined,
    auth: args.auth as AuthMode | undefined,
    token: args.token as string | undefined,
    ticketTtlMs: args['ticket-ttl-ms'] as number | undefined,
    pongDelayMs: args['pong-delay-ms'] as number | undefined,
  });
  const stop = (): void => void standin.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.once('end', stop).resume();
  process.stdout.write(
    `${JSON.stringify({ event: 'ready', port: standin.port, controlPort: standin.controlPort, pid: process.pid })}\n`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`t3-standin: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}

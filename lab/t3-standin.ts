/**
 * STAND-IN for a `t3 serve` process, for the lab only. It is not t3: it implements the few wire facts in
 * /work/shared/t3-protocol.md that the probe relies on, plus a control API so tests can change its
 * behaviour while it runs. By default it plays a current server (`protocolVersion` 2); with
 * `protocolVersion: null` (`--protocol-version none`) an older one.
 *
 * Public port (what probes and clients see):
 *   GET  /.well-known/t3/environment      JSON descriptor, no auth (answered after `httpDelayMs`): environmentId,
 *                                         label, platform, serverVersion, capabilities {websocket}; a current
 *                                         server adds `orchestrationProtocolVersion` and capabilities.connectionProbe
 *   POST /api/auth/websocket-ticket       `Authorization: Bearer <token>` → {ticket, expiresAt}; a ticket is valid
 *                                         for `ticketTtlMs` (5 min) and may be redeemed any number of times
 *   GET  /ws (upgrade)                    checked in this order, each refusal an HTTP answer with a JSON body
 *                                         {"error": "<words>", "reason": "<reason>"}:
 *     1. version (current server only):  query `orchestrationProtocol=<protocolVersion>` missing or another
 *                                         value → 426, reason `protocol_version`
 *     2. `forbid`:                        → 403, reason `forbidden` (an access policy refusing the client)
 *     3. auth `ticket`:                   `?wsTicket=<ticket>` first (a ticket given decides: unknown or expired
 *                                         → 401 even with a good bearer); otherwise `Authorization: Bearer
 *                                         <token>` on the upgrade itself. Nothing given → 401 reason
 *                                         `missing_credential`; wrong/unknown/expired → 401 `invalid_credential`.
 *                                         No session cookie. Auth `none` (not a real t3 mode) skips this step.
 *   GET  /ws without an upgrade           426 JSON {error}
 *   GET|HEAD any other path               200 text/html (the web app's index.html fallback: `/health` and `/`
 *                                         too, so a 200 there proves nothing); other methods 404 JSON
 *   The ticket route answers 403 `forbidden` under `forbid`, then 401 `missing_credential`/`invalid_credential`
 *   for a missing/bad bearer (in either auth mode). permessage-deflate is accepted when the client offers it
 *   (setting `perMessageDeflate`, default true; counted in `deflateNegotiated`).
 *   Frames: see t3-rpc.ts. `{"_tag":"Ping"}` → `{"_tag":"Pong"}` after `pongDelayMs`; RFC 6455 ping
 *   frames get a pong frame under the same rules, so `protocol: ping` legs can be stalled too. `server.probe`
 *   → `Exit` Success; an unknown request tag → `Defect` on an older server, `Exit` Failure on a current one.
 *
 * Control port (a second loopback port, JSON in and out, 400 `{"error"}` naming the bad key):
 *   GET  /state                           settings and counters (never the token)
 *   POST /settings  {pongDelayMs?, silent?, httpDelayMs?, auth?, ticketTtlMs?, protocolVersion?, forbid?,
 *                    perMessageDeflate?}   change at run time; protocolVersion is a positive integer or null
 *   POST /token     {token}               the one bearer token accepted from now on: the old one is revoked at
 *                                         once, with every ticket bought with it (the real server checks a
 *                                         ticket's session); sockets already open stay open, as in t3.
 *                                         → {changed, ticketsRevoked}
 *   POST /close-all {code, reason?}       close every WebSocket with a close frame carrying `code`
 *   POST /terminate-all                   destroy every WebSocket's TCP connection (no close frame)
 *   POST /reset-counters
 * `silent` = the RPC loop answers nothing (no Pong, no Exit, no pong frame) but keeps reading and counting.
 *
 * Run: node --import tsx lab/t3-standin.ts [--host 127.0.0.1] [--port N] [--control-port N]
 *        [--auth none|ticket] [--token T] [--ticket-ttl-ms N] [--pong-delay-ms N] [--protocol-version N|none]
 * `--host` is the public port's address; the control port always stays on 127.0.0.1.
 * Prints one JSON line `{"event":"ready","port":…,"controlPort":…,"pid":…}` when listening; exits when
 * its stdin closes (so it cannot outlive the lab that started it) or on SIGTERM.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, WebSocket } from 'ws';
import { handleFrame, type ServerMessage } from './t3-rpc';
import { TicketStore } from './tickets';
import { parseArgs } from './args';
import { readJsonBody, sendJson } from './http-json';

export type AuthMode = 'none' | 'ticket';

/** The `reason` of a refusal's JSON body. */
type RefusalReason = 'protocol_version' | 'forbidden' | 'missing_credential' | 'invalid_credential';

export interface StandinSettings {
  pongDelayMs: number;
  silent: boolean;
  httpDelayMs: number;
  auth: AuthMode;
  ticketTtlMs: number;
  /** The orchestration protocol a current server speaks and requires on `/ws`; null = an older server. */
  protocolVersion: number | null;
  /** Refuse every upgrade and ticket request with 403 (a server or access policy refusing the client). */
  forbid: boolean;
  /** Accept permessage-deflate when a client offers it. */
  perMessageDeflate: boolean;
}

export interface StandinOptions extends Partial<StandinSettings> {
  host?: string;
  port?: number;
  controlPort?: number;
  /** The bearer token that buys tickets (and, in auth `ticket`, opens `/ws` itself). */
  token?: string;
  /** The tickets' clock (tests). */
  now?: () => number;
}

interface StandinCounters {
  connectionsOpen: number;
  connectionsTotal: number;
  /** Connections whose permessage-deflate was negotiated. */
  deflateNegotiated: number;
  /** Upgrades accepted on a ticket / on a bearer token (auth `ticket` only). */
  upgradesByTicket: number;
  upgradesByBearer: number;
  pingsSeen: number;
  pongsSent: number;
  rfcPingsSeen: number;
  requestsSeen: number;
  exitsSent: number;
  defectsSent: number;
  garbageSeen: number;
  ticketsIssued: number;
  /** Ticket requests refused (401 or 403). */
  ticketsRefused: number;
  /** Every refused upgrade, then by cause. */
  upgradesRejected: number;
  upgradesRejectedVersion: number;
  upgradesRejectedForbidden: number;
  upgradesRejectedAuth: number;
  environmentRequests: number;
  /** Requests answered with the HTML fallback page. */
  htmlFallbacks: number;
  /** Times POST /token changed the accepted token. */
  tokenChanges: number;
}

export interface StandinState {
  settings: StandinSettings;
  counters: StandinCounters;
}

export interface TokenChange {
  changed: boolean;
  ticketsRevoked: number;
}

export interface Standin {
  port: number;
  controlPort: number;
  state(): StandinState;
  update(patch: Partial<StandinSettings>): StandinState;
  /** Accept only `token` from now on (see POST /token). */
  setToken(token: string): TokenChange;
  closeAll(code: number, reason?: string): number;
  terminateAll(): number;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'lab-token';
/** The orchestration protocol version of a current server, as its descriptor advertises it. */
export const CURRENT_PROTOCOL_VERSION = 2;
const DEFAULT_TICKET_TTL_MS = 5 * 60_000;

/** The descriptor's fields common to every server generation (an older server's whole descriptor). */
const ENVIRONMENT = {
  environmentId: 'lab-standin',
  label: 't3 stand-in (lab)',
  platform: { os: process.platform, arch: process.arch },
  serverVersion: '0.0.0-standin',
  capabilities: { websocket: true } as Record<string, boolean>,
};

/** The descriptor served for a protocol version; null = an older server (no version, no connectionProbe). */
function environmentDescriptor(protocolVersion: number | null): Record<string, unknown> {
  if (protocolVersion === null) {
    return ENVIRONMENT;
  }
  return {
    ...ENVIRONMENT,
    orchestrationProtocolVersion: protocolVersion,
    capabilities: { ...ENVIRONMENT.capabilities, connectionProbe: true },
  };
}

/** What the real server's SPA fallback answers for unknown paths: the web app's index.html. */
export const INDEX_HTML =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>T3 Code (stand-in)</title></head>' +
  '<body><div id="root"></div></body></html>\n';

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  426: 'Upgrade Required',
};

interface Refusal {
  status: number;
  reason: RefusalReason;
  error: string;
}

export async function startStandin(opts: StandinOptions = {}): Promise<Standin> {
  const host = opts.host ?? '127.0.0.1';
  let token = checkToken(opts.token ?? DEFAULT_TOKEN);
  const settings: StandinSettings = validateSettings(
    {
      pongDelayMs: opts.pongDelayMs ?? 0,
      silent: opts.silent ?? false,
      httpDelayMs: opts.httpDelayMs ?? 0,
      auth: opts.auth ?? 'none',
      ticketTtlMs: opts.ticketTtlMs ?? DEFAULT_TICKET_TTL_MS,
      protocolVersion: opts.protocolVersion === undefined ? CURRENT_PROTOCOL_VERSION : opts.protocolVersion,
      forbid: opts.forbid ?? false,
      perMessageDeflate: opts.perMessageDeflate ?? true,
    },
    {}
  );
  const tickets = new TicketStore(settings.ticketTtlMs, opts.now);
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
    if (msg._tag === 'Defect') {
      counters.defectsSent++;
    }
    return true;
  }

  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    counters.connectionsOpen++;
    counters.connectionsTotal++;
    if (ws.extensions.split(',').includes('permessage-deflate')) {
      counters.deflateNegotiated++;
    }
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
      // Decided per frame, so a protocolVersion changed at run time applies at once.
      const unknownRequest = settings.protocolVersion === null ? 'defect' : 'exit-failure';
      for (const outcome of handleFrame(data.toString('utf8'), { unknownRequest })) {
        if (outcome.kind === 'pong') {
          counters.pingsSeen++;
          later(settings.pongDelayMs, () => {
            if (send(ws, { _tag: 'Pong' })) {
              counters.pongsSent++;
            }
          });
        } else if (outcome.kind === 'request') {
          counters.requestsSeen++;
          if (send(ws, outcome.reply) && outcome.reply._tag === 'Exit') {
            counters.exitsSent++;
          }
        } else if (outcome.kind === 'defect') {
          counters.garbageSeen++;
          send(ws, outcome.reply);
        }
      }
    });
  }

  // One server per compression choice, so `perMessageDeflate` can change at run time.
  const wssDeflate = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: true });
  const wssPlain = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false });

  /** Checks `Authorization: Bearer <token>`; undefined when it is the accepted token. */
  function bearerRefusal(header: string | undefined): Refusal | undefined {
    if (header === undefined || header.trim() === '') {
      return { status: 401, reason: 'missing_credential', error: 'no credential: send a wsTicket or a bearer token' };
    }
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!m) {
      return { status: 401, reason: 'invalid_credential', error: 'the Authorization header is not a bearer token' };
    }
    if (m[1] !== token) {
      return {
        status: 401,
        reason: 'invalid_credential',
        error: 'the bearer token is not valid (wrong, expired or revoked)',
      };
    }
    return undefined;
  }

  function versionRefusal(url: URL): Refusal | undefined {
    const want = settings.protocolVersion;
    if (want === null) {
      return undefined; // an older server: no parameter needed, any value ignored
    }
    const got = url.searchParams.get('orchestrationProtocol');
    if (got === String(want)) {
      return undefined;
    }
    const error =
      got === null
        ? `orchestrationProtocol=${want} is required`
        : `orchestrationProtocol ${JSON.stringify(got)} is not supported: this server speaks ${want}`;
    return { status: 426, reason: 'protocol_version', error };
  }

  function forbidRefusal(): Refusal | undefined {
    return settings.forbid
      ? { status: 403, reason: 'forbidden', error: 'access to this server is forbidden for this client' }
      : undefined;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    if (req.method === 'GET' && url.pathname === '/.well-known/t3/environment') {
      counters.environmentRequests++;
      later(settings.httpDelayMs, () => sendJson(res, 200, environmentDescriptor(settings.protocolVersion)));
    } else if (req.method === 'POST' && url.pathname === '/api/auth/websocket-ticket') {
      const refusal = forbidRefusal() ?? bearerRefusal(req.headers.authorization);
      if (refusal) {
        counters.ticketsRefused++;
        sendJson(res, refusal.status, { error: refusal.error, reason: refusal.reason });
        return;
      }
      counters.ticketsIssued++;
      sendJson(res, 200, tickets.issue());
    } else if (url.pathname === '/ws') {
      sendJson(res, 426, { error: '/ws needs a WebSocket upgrade' });
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      counters.htmlFallbacks++;
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(INDEX_HTML),
      });
      res.end(req.method === 'HEAD' ? undefined : INDEX_HTML);
    } else {
      sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    }
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const refuse = (status: number, body: Record<string, string>): void => {
      counters.upgradesRejected++;
      const text = JSON.stringify(body);
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
      );
    };
    socket.on('error', () => socket.destroy());
    if (url.pathname !== '/ws') {
      return refuse(404, { error: `no WebSocket route ${url.pathname}` });
    }
    const early = versionRefusal(url) ?? forbidRefusal();
    if (early) {
      if (early.reason === 'protocol_version') {
        counters.upgradesRejectedVersion++;
      } else {
        counters.upgradesRejectedForbidden++;
      }
      return refuse(early.status, { error: early.error, reason: early.reason });
    }
    if (settings.auth === 'ticket') {
      const ticket = url.searchParams.get('wsTicket');
      let refusal: Refusal | undefined;
      if (ticket) {
        const check = tickets.redeem(ticket);
        if (check !== 'ok') {
          refusal = { status: 401, reason: 'invalid_credential', error: `wsTicket ${check}` };
        }
      } else {
        refusal = bearerRefusal(req.headers.authorization);
      }
      if (refusal) {
        counters.upgradesRejectedAuth++;
        return refuse(refusal.status, { error: refusal.error, reason: refusal.reason });
      }
      if (ticket) {
        counters.upgradesByTicket++;
      } else {
        counters.upgradesByBearer++;
      }
    }
    const wss = settings.perMessageDeflate ? wssDeflate : wssPlain;
    wss.handleUpgrade(req, socket as Socket, head, onConnection);
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
      case 'POST /token': {
        const body = await readJsonBody(req);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new Error('token: body must be a JSON object {"token": "..."}');
        }
        for (const key of Object.keys(body)) {
          if (key !== 'token') {
            throw new Error(`token: unknown key ${key} (the body is {"token": "..."})`);
          }
        }
        return sendJson(res, 200, api.setToken((body as { token?: unknown }).token as string));
      }
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
    setToken(next) {
      checkToken(next);
      if (next === token) {
        return { changed: false, ticketsRevoked: 0 };
      }
      token = next;
      counters.tokenChanges++;
      const ticketsRevoked = tickets.size;
      tickets.revokeAll();
      return { changed: true, ticketsRevoked };
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
      wssDeflate.close();
      wssPlain.close();
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
  for (const key of ['silent', 'forbid', 'perMessageDeflate'] as const) {
    if (typeof next[key] !== 'boolean') {
      throw new Error(`${key} must be true or false, got ${JSON.stringify(next[key])}`);
    }
  }
  if (next.auth !== 'none' && next.auth !== 'ticket') {
    throw new Error(`auth must be "none" or "ticket", got ${JSON.stringify(next.auth)}`);
  }
  const v = next.protocolVersion;
  if (v !== null && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 1)) {
    throw new Error(`protocolVersion must be a positive integer or null, got ${JSON.stringify(v)}`);
  }
  return next;
}

/** `--protocol-version`'s value: a positive integer, or `none` for an older server. */
export function parseProtocolVersion(text: string, flag = '--protocol-version'): number | null {
  if (text === 'none') {
    return null;
  }
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
    throw new Error(`${flag} must be a positive integer or none, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** A bearer token must fit an HTTP header as one word: visible ASCII, no spaces. */
export function checkToken(token: unknown): string {
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(`token must be a non-empty string of visible ASCII characters, got ${JSON.stringify(token)}`);
  }
  return token;
}

/** RFC 6455 §7.4: codes a peer may put in a close frame (1005, 1006 and 1015 are reserved for reporting). */
function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999))
  );
}

function zeroCounters(): StandinCounters {
  return {
    connectionsOpen: 0,
    connectionsTotal: 0,
    deflateNegotiated: 0,
    upgradesByTicket: 0,
    upgradesByBearer: 0,
    pingsSeen: 0,
    pongsSent: 0,
    rfcPingsSeen: 0,
    requestsSeen: 0,
    exitsSent: 0,
    defectsSent: 0,
    garbageSeen: 0,
    ticketsIssued: 0,
    ticketsRefused: 0,
    upgradesRejected: 0,
    upgradesRejectedVersion: 0,
    upgradesRejectedForbidden: 0,
    upgradesRejectedAuth: 0,
    environmentRequests: 0,
    htmlFallbacks: 0,
    tokenChanges: 0,
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
    'protocol-version': 'string',
  });
  const version = args['protocol-version'] as string | undefined;
  const standin = await startStandin({
    host: args.host as string | undefined,
    port: args.port as number | undefined,
    controlPort: args['control-port'] as number | undefined,
    auth: args.auth as AuthMode | undefined,
    token: args.token as string | undefined,
    ticketTtlMs: args['ticket-ttl-ms'] as number | undefined,
    pongDelayMs: args['pong-delay-ms'] as number | undefined,
    protocolVersion: version === undefined ? undefined : parseProtocolVersion(version),
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

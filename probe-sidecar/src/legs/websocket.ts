// The websocket leg: holds one connection like a t3 browser tab. Heartbeats are `{"_tag":"Ping"}` text
// frames (protocol t3) or RFC 6455 pings (protocol ping); only the answer to a heartbeat proves life, as
// for the t3 client; the watchdog fires after `timeout` without one; then terminate and reconnect with
// capped, jittered backoff. A server that refuses the probe's credentials or version is retried slowly.
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { ReconnectPolicy } from '../config/types.js';
import { faultKindOf, type Reason } from '../engine.js';
import type { StallClock } from '../selfmon.js';
import { backoffDelay } from './backoff.js';
import { PendingHeartbeats } from './heartbeats.js';
import { LegBase, type LegHooks } from './leg.js';
import { PROBE_DEFLATE } from './deflate.js';
import { DescriptorError, withProtocolVersion } from './descriptor.js';
import { reasonFromClose, reasonFromError, reasonFromRefusal, reasonFromStatus, timeoutError } from './reasons.js';
import type { LegKind } from './registry.js';
import { credentialWhy, readToken, TicketError, withTicket } from './ticket.js';
import { Watchdog } from './watchdog.js';
import {
  readWebsocketLeg,
  WEBSOCKET_KEYS,
  WEBSOCKET_SCHEMES,
  websocketWarnings,
  type WebsocketLegConfig,
} from './websocket-config.js';

/** The t3 client's socket open timeout. */
const HANDSHAKE_TIMEOUT_MS = 15_000;
/**
 * The largest frame the probe accepts. It only needs Pongs (a few bytes) and proof of life; ws's own
 * default (100 MiB) would let a hostile or broken server make the probe buffer that much per leg. A bigger
 * frame closes the connection with 1009 and counts as `protocol_error`.
 */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
const T3_PING = JSON.stringify({ _tag: 'Ping' });
/** How often a refused leg looks for a new token in its token file. */
const TOKEN_POLL_MS = 1000;

const BARE_PONG = Buffer.from('{"_tag":"Pong"}');

/**
 * Is this text frame a t3 Pong (alone or inside a batch)? The server's usual answer is matched on its
 * bytes, without decoding or parsing: this runs for every heartbeat of every leg.
 */
export function isT3Pong(frame: Buffer): boolean {
  if (frame.length === BARE_PONG.length && frame.equals(BARE_PONG)) {
    return true;
  }
  const data = frame.toString();
  if (!data.includes('Pong')) {
    return false;
  }
  try {
    const msg: unknown = JSON.parse(data);
    const all = Array.isArray(msg) ? msg : [msg];
    return all.some((m) => (m as { _tag?: unknown } | null)?._tag === 'Pong');
  } catch {
    return false;
  }
}

export class WebsocketLeg extends LegBase {
  private ws: WebSocket | null = null;
  private readonly pending = new PendingHeartbeats();
  private pingTimer: NodeJS.Timeout | null = null;
  private recheckTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly watchdog: Watchdog;
  private failures = 0;
  private stopped = false;
  private tokenWatch: NodeJS.Timeout | null = null;
  /** The token of the last ticket request (only compared, never logged). */
  private triedToken: string | null = null;

  constructor(
    private readonly cfg: WebsocketLegConfig,
    private readonly reconnectPolicy: ReconnectPolicy,
    private readonly clock: StallClock,
    hooks: LegHooks,
    private readonly handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS
  ) {
    super(cfg.name, cfg.type, cfg.segments, hooks);
    this.watchdog = new Watchdog(cfg.timeoutMs, clock, () =>
      this.drop('heartbeat_timeout', `nothing heard for ${cfg.timeoutMs} ms`)
    );
  }

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopTokenWatch();
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
    }
    const ws = this.ws;
    this.teardown();
    if (!ws || ws.readyState === WebSocket.CLOSED) {
      return;
    }
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => ws.terminate(), 1000);
      ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (ws.readyState === WebSocket.OPEN) {
        ws.close(1001, 'probe stopping');
      } else {
        ws.terminate();
      }
    });
  }

  crossCheck(): Promise<number | null> {
    if (!this.connected || !this.ws) {
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), this.cfg.timeoutMs);
      this.heartbeat((rtt) => {
        clearTimeout(timer);
        resolve(rtt);
      });
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.attempting();
    let url = this.cfg.url;
    if (this.cfg.protocol === 't3') {
      try {
        url = await withProtocolVersion(url, this.cfg.headers, this.handshakeTimeoutMs, this.clock);
      } catch (err) {
        const reason = err instanceof DescriptorError ? reasonFromStatus(err.status) : reasonFromError(err, 'connect');
        return this.connectFailed(reason, `environment descriptor: ${(err as Error).message}`);
      }
      if (this.stopped) {
        return;
      }
    }
    if (this.cfg.auth) {
      try {
        this.triedToken = await readToken(this.cfg.auth);
      } catch (err) {
        // An unreadable or empty token file is the probe's own config, whatever the path does.
        this.triedToken = null;
        return this.connectFailed('auth_failed', `token: ${(err as Error).message}`);
      }
      try {
        url = await withTicket(url, this.triedToken, this.cfg.headers, this.handshakeTimeoutMs, this.clock);
      } catch (err) {
        const reason = err instanceof TicketError ? reasonFromRefusal(err.status) : reasonFromError(err, 'connect');
        return this.connectFailed(reason, `ticket: ${(err as Error).message}`);
      }
      if (this.stopped) {
        return;
      }
    }
    const host = Object.entries(this.cfg.headers).find(([k]) => k.toLowerCase() === 'host')?.[1];
    const ws = new WebSocket(url, {
      headers: this.cfg.headers,
      // Offered as the browser always does: a proxy that mangles the extension breaks browsers too.
      perMessageDeflate: this.cfg.compression ? PROBE_DEFLATE : false,
      followRedirects: false,
      maxPayload: MAX_PAYLOAD_BYTES,
      // With a Host header (e.g. the internal leg through the LB IP) TLS must present that name too.
      ...(host && url.startsWith('wss:') ? { servername: host.replace(/:\d+$/, '') } : {}),
    });
    this.ws = ws;
    let opened = false;
    let lastError: unknown = null;
    let status: number | null = null;
    let why = '';
    const handshake = setTimeout(() => {
      lastError = timeoutError(`socket not open within ${this.handshakeTimeoutMs} ms`);
      ws.terminate();
    }, this.handshakeTimeoutMs);

    // ws reports a socket error after open only as 1006: keep the socket's own error to recover the cause.
    ws.on('upgrade', (res: IncomingMessage) => res.socket.on('error', (err) => (lastError ??= err)));
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      status = res.statusCode ?? 0;
      // A refusal's body may say why (missing or invalid credential): read a little of it, then give up.
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 4096) {
          ws.terminate();
        }
      });
      res.on('end', () => {
        why = credentialWhy(body);
        ws.terminate();
      });
      res.on('error', () => ws.terminate());
    });
    ws.on('error', (err) => {
      lastError ??= err;
      // After open, ws reports only frame errors here (bad UTF-8, reserved opcodes, oversized frames…) and
      // then waits up to 30 s for the peer's close reply: a peer that broke the protocol has failed now.
      if (opened && this.ws === ws) {
        this.drop(reasonFromError(err, 'open'), describeError(err));
      }
    });
    ws.on('open', () => {
      clearTimeout(handshake);
      opened = true;
      this.failures = 0;
      this.watchdog.start();
      this.healthy();
      this.pingTimer = setInterval(() => this.heartbeat(), this.cfg.intervalMs);
      if (this.cfg.auth) {
        this.recheckTimer = setInterval(() => void this.recheckToken(ws), this.cfg.auth.recheckMs);
      }
    });
    // Only the answer to a heartbeat proves life, as for the t3 client: a server that still sends other
    // frames while its RPC loop is stuck has stalled all the same.
    ws.on('message', (data, isBinary) => {
      // A Buffer: the socket keeps ws's default binaryType, nodebuffer.
      if (this.cfg.protocol === 't3' && !isBinary && isT3Pong(data as Buffer)) {
        this.heard();
        this.answered();
      }
    });
    ws.on('pong', () => {
      if (this.cfg.protocol === 'ping') {
        this.heard();
        this.answered();
      }
    });
    ws.on('close', (code: number) => {
      clearTimeout(handshake);
      // Closed by us (watchdog, stop): already accounted for.
      if (this.ws !== ws) {
        return;
      }
      if (!opened) {
        const reason: Reason = status !== null ? reasonFromRefusal(status) : reasonFromError(lastError, 'connect');
        return this.connectFailed(
          reason,
          status !== null ? `handshake answered HTTP ${status}${why}` : describeError(lastError)
        );
      }
      this.drop(reasonFromClose(code, lastError), lastError ? describeError(lastError) : `close code ${code}`);
    });
  }

  /** The answer to a heartbeat: the watchdog measures silence from it, the leg records it as lastHeard. */
  protected override heard(): void {
    this.watchdog.heard();
    super.heard();
  }

  private heartbeat(waiter?: (rttMs: number | null) => void): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return waiter?.(null);
    }
    this.pending.sent(this.clock.mono(), waiter);
    if (this.cfg.protocol === 't3') {
      ws.send(T3_PING);
    } else {
      ws.ping();
    }
  }

  private answered(): void {
    const now = this.clock.mono();
    const sentAt = this.pending.answered(now);
    // A round trip the probe itself stalled through measures the probe, not the path.
    if (sentAt !== null && this.clock.stalledMs(sentAt, now) === 0) {
      this.rtt(now - sentAt);
    }
  }

  /** An open connection failed: record it, terminate, reconnect. */
  private drop(reason: Reason, detail: string): void {
    const ws = this.ws;
    this.teardown();
    ws?.terminate();
    this.failed(reason, detail);
    this.scheduleReconnect();
  }

  private connectFailed(reason: Reason, detail: string): void {
    this.teardown();
    this.failed(reason, detail);
    this.scheduleReconnect();
  }

  /**
   * A connected leg asks for a ticket now and then: a refusal means its token is revoked or expired, and
   * the leg could not reconnect after its next drop. It fails now, as the probe's own config, rather than
   * go blind in the middle of an incident. Any other failure is the path's, which the watchdog judges.
   */
  private async recheckToken(ws: WebSocket): Promise<void> {
    const auth = this.cfg.auth;
    if (!auth || this.ws !== ws) {
      return;
    }
    let token: string | null = null;
    try {
      token = await readToken(auth);
      await withTicket(this.cfg.url, token, this.cfg.headers, this.handshakeTimeoutMs, this.clock);
    } catch (err) {
      const status = err instanceof TicketError ? err.status : null;
      if (status !== null && this.ws === ws && faultKindOf(reasonFromRefusal(status)) === 'config') {
        // The token the server refused, not a second read of the file, which may already hold a new one.
        this.triedToken = token;
        this.drop(reasonFromRefusal(status), `token re-check: ${(err as Error).message}`);
      }
    }
  }

  private teardown(): void {
    this.ws = null;
    this.watchdog.stop();
    if (this.pingTimer) {
      clearInterval(this.pingTimer);
    }
    this.pingTimer = null;
    if (this.recheckTimer) {
      clearInterval(this.recheckTimer);
    }
    this.recheckTimer = null;
    this.pending.clear();
  }

  private scheduleReconnect(): void {
    if (this.stopped) {
      return;
    }
    this.failures++;
    if (this.isRefused()) {
      // Hammering a server with a refused token helps nobody; a new token file is tried at once.
      const delay = Math.round(this.reconnectPolicy.refusedMs * (1 + 0.2 * Math.random()));
      this.retryTimer = setTimeout(() => this.retryNow(), delay);
      this.watchToken();
      return;
    }
    this.retryTimer = setTimeout(() => void this.connect(), backoffDelay(this.failures, this.reconnectPolicy));
  }

  private retryNow(): void {
    this.stopTokenWatch();
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    void this.connect();
  }

  /**
   * While refused, re-reads the token file every TOKEN_POLL_MS and retries as soon as it holds another
   * token than the one the server refused.
   */
  private watchToken(): void {
    const source = this.cfg.auth;
    this.stopTokenWatch();
    if (!source || !('tokenFile' in source)) {
      return;
    }
    const refused = this.triedToken;
    const watch = setInterval(() => {
      void readToken(source)
        .catch(() => null)
        .then((now) => {
          if (this.tokenWatch === watch && now !== null && now !== refused) {
            this.retryNow();
          }
        });
    }, TOKEN_POLL_MS);
    this.tokenWatch = watch;
  }

  private stopTokenWatch(): void {
    if (this.tokenWatch) {
      clearInterval(this.tokenWatch);
      this.tokenWatch = null;
    }
  }
}

/** The websocket type's entry in the registry (legs/registry.ts). */
export const websocketLegType: LegKind<WebsocketLegConfig> = {
  keys: WEBSOCKET_KEYS,
  schemes: WEBSOCKET_SCHEMES,
  read: readWebsocketLeg,
  warnings: websocketWarnings,
  create: (cfg, { reconnect, clock, hooks }) => new WebsocketLeg(cfg, reconnect, clock, hooks),
};

function describeError(err: unknown): string {
  if (!err) {
    return 'connection closed';
  }
  const code = (err as { code?: unknown }).code;
  const msg = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

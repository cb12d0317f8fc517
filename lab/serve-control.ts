/** The lab's handle on the stand-in: its control API (see t3-standin.ts) plus process-level stalls. */
import type { StandinSettings, StandinState, TokenChange } from './t3-standin';
import type { Ticket } from './tickets';

const CONTROL_TIMEOUT_MS = 3_000;

interface ServeControlInit {
  /** The stand-in's public address, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  port: number;
  controlPort: number;
  token: string;
  freeze: () => void;
  thaw: () => void;
}

export class ServeControl {
  readonly baseUrl: string;
  readonly port: number;
  readonly controlPort: number;
  /** SIGSTOP the stand-in: a real event-loop stall (its control API is frozen too until thaw()). */
  readonly freeze: () => void;
  readonly thaw: () => void;
  private currentToken: string;

  constructor(init: ServeControlInit) {
    this.baseUrl = init.baseUrl;
    this.port = init.port;
    this.controlPort = init.controlPort;
    this.currentToken = init.token;
    this.freeze = init.freeze;
    this.thaw = init.thaw;
  }

  /** The bearer token the stand-in accepts now (as last set through this handle). */
  get token(): string {
    return this.currentToken;
  }

  state(): Promise<StandinState> {
    return this.call('GET', '/state') as Promise<StandinState>;
  }

  update(patch: Partial<StandinSettings>): Promise<StandinState> {
    return this.call('POST', '/settings', patch) as Promise<StandinState>;
  }

  setPongDelay(ms: number): Promise<StandinState> {
    return this.update({ pongDelayMs: ms });
  }

  /** The RPC loop stops answering (no Pong, no Exit) while sockets stay open. */
  silence(): Promise<StandinState> {
    return this.update({ silent: true });
  }

  resume(): Promise<StandinState> {
    return this.update({ silent: false });
  }

  /**
   * The stand-in accepts only `token` from now on: the old one and the tickets bought with it are revoked at
   * once, sockets already open stay open (as in t3).
   */
  async setToken(token: string): Promise<TokenChange> {
    const change = (await this.call('POST', '/token', { token })) as TokenChange;
    this.currentToken = token;
    return change;
  }

  /** 403 `forbidden` for every upgrade and ticket request while on. */
  setForbid(forbid: boolean): Promise<StandinState> {
    return this.update({ forbid });
  }

  /** Plays a current server speaking `version`, or an older one (`null`). */
  setProtocolVersion(version: number | null): Promise<StandinState> {
    return this.update({ protocolVersion: version });
  }

  async closeAll(code: number, reason?: string): Promise<number> {
    return ((await this.call('POST', '/close-all', { code, reason })) as { closed: number }).closed;
  }

  async terminateAll(): Promise<number> {
    return ((await this.call('POST', '/terminate-all')) as { terminated: number }).terminated;
  }

  resetCounters(): Promise<StandinState> {
    return this.call('POST', '/reset-counters') as Promise<StandinState>;
  }

  /** Buys a WebSocket ticket with the lab's token, straight from the stand-in (or via `baseUrl`). */
  async ticket(baseUrl = this.baseUrl, token = this.token): Promise<Ticket> {
    const res = await fetch(`${baseUrl}/api/auth/websocket-ticket`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    });
    const body = (await res.json()) as Ticket & { error?: string; reason?: string };
    if (!res.ok) {
      throw new Error(`ticket: HTTP ${res.status} ${body.reason ?? ''}: ${body.error ?? 'no error text'}`);
    }
    return body;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`http://127.0.0.1:${this.controlPort}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    });
    const json = (await res.json()) as { error?: string };
    if (!res.ok) {
      throw new Error(`stand-in control ${method} ${path}: HTTP ${res.status}: ${json.error ?? 'no error text'}`);
    }
    return json;
  }
}

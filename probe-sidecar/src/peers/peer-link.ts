// Pulls one peer probe through its read-only API, once a second: its topology (at first and then every
// minute) and its events since the last pull, which this probe records as its own (peer's legs renamed,
// times on this clock). While the peer cannot be pulled its legs have no data: the link records the peer's
// run as stopped at the last good pull and started again at the next one, so a verdict over that time
// says unknown for the users the peer covers — never clear, never an incident on their serve.
import { readFileSync } from 'node:fs';
import { ALL_REASONS, EVENT_TYPES, type ProbeEvent, type Reason } from '../engine.js';
import { errorFields, type LogFn } from '../log.js';
import { readAnswer, type ApiRoute, type ProbeReads } from '../probe-api.js';
import type { PeerConfig } from '../config/types.js';
import { ClockOffset } from './clock-offset.js';
import { eventKey, importEvent, importTopology, type PeerPart } from './translate.js';

/** Pull timing; the defaults keep a peer's events within 2 s of this probe's verdicts. */
const PEER_TIMING = {
  pullEveryMs: 1_000,
  /** One pull's budget: a peer that takes longer is as good as unreachable for that pull. */
  timeoutMs: 2_000,
  /** Not pulled for this long: the peer's legs have no data from its last good pull on. */
  staleMs: 5_000,
  topologyEveryMs: 60_000,
};

/** The most events one pull asks for (the API's limit). */
const PULL_LIMIT = 10_000;

export interface PeerHooks {
  /** The peer's legs, segments and users, when first known and whenever they change. */
  topology(part: PeerPart): void;
  /** New events, in this probe's terms. */
  events(events: ProbeEvent[]): void;
  /** After every pull: whether the peer is up, its clock offset (ms, peer minus this probe) and its bound. */
  pulled(state: { up: boolean; ok: boolean; offsetMs: number | null; errorMs: number | null }): void;
}

interface PeerLinkOptions {
  hooks: PeerHooks;
  log: LogFn;
  /** The last time (this probe's clock) of anything already recorded about this peer: not recorded again. */
  recordedUntil: number | null;
  timing?: Partial<typeof PEER_TIMING>;
  now?: () => number;
}

export class PeerLink {
  private readonly timing: typeof PEER_TIMING;
  private readonly now: () => number;
  private readonly clock = new ClockOffset();
  private part: PeerPart | null = null;
  private partKey = '';
  private topologyAt = Number.NEGATIVE_INFINITY;
  /** The peer's own leg names (as it calls them). */
  private legs = new Set<string>();
  /** Keys (peer clock) of the events already recorded within the lookback, and their peer times. */
  private readonly seen = new Map<string, number>();
  /** The peer's clock at its last answer. */
  private peerNow: number | null = null;
  private recordedUntil: number | null;
  private up = false;
  private lastGoodAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: AbortController | null = null;
  private stopped = false;
  private token: string | null = null;

  constructor(
    private readonly cfg: PeerConfig,
    private readonly opts: PeerLinkOptions
  ) {
    this.timing = { ...PEER_TIMING, ...opts.timing };
    this.now = opts.now ?? Date.now;
    this.recordedUntil = opts.recordedUntil;
  }

  get name(): string {
    return this.cfg.name;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops pulling; from now on the peer's legs have no data until the next start. */
  stop(): void {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.inFlight?.abort();
    if (this.up) {
      this.markDown(this.now());
    }
  }

  private schedule(delayMs: number): void {
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.tick(), delayMs);
    }
  }

  private async tick(): Promise<void> {
    const started = this.now();
    let ok = false;
    try {
      await this.pull();
      ok = true;
    } catch (err) {
      if (!this.stopped) {
        this.opts.log(this.up ? 'warn' : 'debug', 'peer pull failed', { peer: this.cfg.name, ...errorFields(err) });
      }
    }
    if (this.stopped) {
      return;
    }
    const now = this.now();
    if (this.up && this.lastGoodAt !== null && now - this.lastGoodAt > this.timing.staleMs) {
      this.markDown(this.lastGoodAt);
    }
    const best = this.clock.best();
    this.opts.hooks.pulled({ up: this.up, ok, offsetMs: best?.offsetMs ?? null, errorMs: best?.errorMs ?? null });
    this.schedule(Math.max(0, this.timing.pullEveryMs - (now - started)));
  }

  private async pull(): Promise<void> {
    const now = this.now();
    if (this.part === null || now - this.topologyAt >= this.timing.topologyEveryMs) {
      this.learnTopology(await this.get('/api/v1/topology', new URLSearchParams()));
      this.topologyAt = now;
    }
    const query = new URLSearchParams({ type: EVENT_TYPES.join(','), limit: String(PULL_LIMIT) });
    // The first pull, before the peer's clock is known, takes the peer's default window (its last hour, as
    // much history as this probe loads), so no skew can put `from` after the peer's now.
    if (this.peerNow !== null) {
      query.set('from', String(Math.max(0, Math.round(this.peerNow - this.lookbackMs()))));
    }
    const sentAt = this.now();
    const answer = await this.get('/api/v1/events', query);
    const receivedAt = this.now();
    if (typeof answer.now !== 'number') {
      throw new Error('its events answer has no "now": a probe too old to peer with (upgrade it)');
    }
    this.clock.add(sentAt, receivedAt, answer.now);
    this.peerNow = answer.now;
    if (answer.truncated) {
      this.opts.log('warn', 'peer events truncated: some were not recorded', { peer: this.cfg.name });
    }
    const offset = this.clock.best()?.offsetMs ?? 0;
    const wasUp = this.up;
    if (!wasUp) {
      this.markUp(receivedAt);
    }
    this.record(answer.events, offset);
    if (!wasUp) {
      await this.legsDownNow(receivedAt, offset);
    }
    this.lastGoodAt = receivedAt;
  }

  /** How far back each pull reaches on the peer's clock: enough for an event recorded late (a slow round trip). */
  private lookbackMs(): number {
    const legs = this.part?.legs ?? [];
    return Math.max(30_000, ...legs.map((l) => 2 * (l.intervalMs + l.timeoutMs)));
  }

  private record(events: readonly ProbeEvent[], offsetMs: number): void {
    const fresh: ProbeEvent[] = [];
    for (const e of events) {
      const key = eventKey(e);
      if (this.seen.has(key)) {
        continue;
      }
      this.seen.set(key, e.time);
      const imported = importEvent(this.cfg.name, e, offsetMs, this.legs);
      if (imported && (this.recordedUntil === null || imported.time > this.recordedUntil)) {
        fresh.push(imported);
      }
    }
    // Past the first pull, the lookback and the keys decide what is new.
    this.recordedUntil = null;
    const floor = (this.peerNow ?? 0) - 2 * this.lookbackMs();
    for (const [key, time] of this.seen) {
      if (time < floor) {
        this.seen.delete(key);
      }
    }
    if (fresh.length > 0) {
      this.opts.hooks.events(fresh);
    }
  }

  private learnTopology(t: ProbeReads['/api/v1/topology']): void {
    const part = importTopology(this.cfg.name, t);
    const key = JSON.stringify(part);
    this.legs = new Set(t.legs.filter((l) => l.probe === undefined).map((l) => l.name));
    if (key !== this.partKey) {
      this.part = part;
      this.partKey = key;
      this.opts.hooks.topology(part);
    }
  }

  /** Heard from again (or for the first time): the peer's legs have data from now on. */
  private markUp(at: number): void {
    this.up = true;
    this.opts.hooks.events([
      { type: 'probe_start', time: at, probe: this.cfg.name, legs: (this.part?.legs ?? []).map((l) => l.name) },
    ]);
    this.opts.log('info', 'peer up', { peer: this.cfg.name, url: this.cfg.url });
  }

  private markDown(lastGood: number): void {
    this.up = false;
    this.opts.hooks.events([{ type: 'probe_stop', time: lastGood, probe: this.cfg.name }]);
    this.opts.log('warn', 'peer lost: its legs have no data until it answers again', {
      peer: this.cfg.name,
      lastGood: new Date(lastGood).toISOString(),
    });
  }

  /**
   * A leg of the peer already down when it is heard from again: without its disconnect (recorded before the
   * gap, or before this probe started) the new run would take it for up. Only a leg that failed: one not yet
   * checked (a peer just started) has no reason and is not down, and its first failure is an event anyway.
   */
  private async legsDownNow(at: number, offsetMs: number): Promise<void> {
    const { legs } = await this.get('/api/v1/legs', new URLSearchParams());
    const down: ProbeEvent[] = legs
      .filter((l) => !l.connected && l.lastReason !== null && this.legs.has(l.name))
      .map((l) => ({
        type: 'disconnect',
        time: at,
        leg: `${this.cfg.name}.${l.name}`,
        reason: ALL_REASONS.includes(l.lastReason as Reason) ? (l.lastReason as Reason) : 'error',
        ...(l.lastHeard === null ? {} : { lastHeard: Math.round(l.lastHeard - offsetMs) }),
      }));
    if (down.length > 0) {
      this.opts.hooks.events(down);
    }
  }

  private async get<R extends ApiRoute>(route: R, query: URLSearchParams): Promise<ProbeReads[R]> {
    const url = new URL(route, this.cfg.url.endsWith('/') ? this.cfg.url : `${this.cfg.url}/`);
    url.pathname = url.pathname.replace(/\/+/g, '/');
    url.search = query.toString();
    const headers: Record<string, string> = {};
    const token = this.readToken();
    if (token !== null) {
      headers.Authorization = `Bearer ${token}`;
    }
    this.inFlight = new AbortController();
    const timeout = setTimeout(() => this.inFlight?.abort(), this.timing.timeoutMs);
    try {
      const res = await fetch(url, { headers, signal: this.inFlight.signal });
      const text = await res.text();
      if (res.status === 401) {
        this.token = null; // a rotated token file is read again on the next pull
        throw new Error(
          `${route}: HTTP 401: the peer refused the token${this.cfg.tokenFile ? ` in ${this.cfg.tokenFile}` : ' (none configured: set tokenFile)'}`
        );
      }
      if (!res.ok) {
        throw new Error(`${route}: HTTP ${res.status}: ${text.slice(0, 200)}`);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`${route}: the answer is not JSON`);
      }
      return readAnswer(route, body);
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') {
        throw new Error(`${route}: no answer within ${this.timing.timeoutMs} ms`);
      }
      throw err;
    } finally {
      clearTimeout(timeout);
      this.inFlight = null;
    }
  }

  private readToken(): string | null {
    if (this.cfg.tokenFile === null) {
      return null;
    }
    this.token ??= readFileSync(this.cfg.tokenFile, 'utf8').trim();
    return this.token;
  }
}

// The one interface every leg type implements (one prober per protocol), and the outage bookkeeping
// they share: a leg reports healthy / failed, and this turns that into disconnect and reconnect events.
import { faultKindOf, type LegType, type Reason } from '../engine.js';
import type { LegNow } from '../probe-api.js';

/** What a leg reports of itself: exactly an item of the legs answer (`GET /api/v1/legs`), the contract's type. */
export type LegState = LegNow;

export interface LegHooks {
  disconnect(e: { time: number; reason: Reason; lastHeard: number; detail?: string }): void;
  /** `attemptMs`: how long the successful attempt took. */
  reconnect(e: { time: number; lastFailure: number; attempts: number; attemptMs: number }): void;
  connected(up: boolean): void;
  /** The leg now fails because a server refuses its credentials or version (true), or no longer does. */
  misconfigured(on: boolean): void;
  rtt(ms: number): void;
}

export interface ProbeLeg {
  readonly name: string;
  start(): void;
  /** Closes the connection; no disconnect is recorded for it. */
  stop(): Promise<void>;
  /** One extra heartbeat now (only while connected): the round trip in ms, or null without an answer. */
  crossCheck(): Promise<number | null>;
  /** Cheap: asked for every leg whenever any leg fails. */
  isConnected(): boolean;
  state(): LegState;
}

export abstract class LegBase implements ProbeLeg {
  protected connected = false;
  private since: number | null = null;
  /** Wall ms of the last sign of life (a healthy attempt, an answer): the leg's one record of it. */
  private lastHeardWall: number | null = null;
  private lastRttMs: number | null = null;
  private lastReason: Reason | null = null;
  /** In an outage: disconnect recorded, reconnect not yet. */
  private down = false;
  /** The open outage is a refusal of the probe's own config (faultKindOf … === 'config'). */
  private refused = false;
  private attempts = 0;
  private lastFailure = 0;
  private attemptStarted = 0;

  constructor(
    readonly name: string,
    private readonly type: LegType,
    private readonly segments: string[],
    protected readonly hooks: LegHooks
  ) {}

  abstract start(): void;
  abstract stop(): Promise<void>;
  abstract crossCheck(): Promise<number | null>;

  isConnected(): boolean {
    return this.connected;
  }

  state(): LegState {
    return {
      name: this.name,
      type: this.type,
      segments: [...this.segments],
      connected: this.connected,
      since: this.since,
      lastHeard: this.lastHeardWall,
      lastRttMs: this.lastRttMs,
      lastReason: this.lastReason,
      misconfigured: this.refused,
    };
  }

  /** Whether the leg now fails because a server refuses its own config. */
  protected isRefused(): boolean {
    return this.refused;
  }

  /** A new connection attempt (or request) begins. */
  protected attempting(): void {
    this.attemptStarted = Date.now();
    if (this.down) {
      this.attempts++;
    }
  }

  /** A sign of life on an open connection (a heartbeat answered). */
  protected heard(): void {
    this.lastHeardWall = Date.now();
  }

  protected healthy(): void {
    const now = Date.now();
    this.lastHeardWall = now;
    if (this.down) {
      this.down = false;
      this.hooks.reconnect({
        time: now,
        lastFailure: this.lastFailure,
        attempts: this.attempts,
        attemptMs: now - this.attemptStarted,
      });
    }
    this.setRefused(false);
    this.setConnected(true, now);
  }

  /** The disconnect's `lastHeard` is the last sign of life before the failure; unknown → the failure time. */
  protected failed(reason: Reason, detail?: string): void {
    const now = Date.now();
    let lastHeard = this.lastHeardWall;
    const refused = faultKindOf(reason) === 'config';
    if (this.down && refused !== this.refused) {
      // A refusal proves the path answers again, and a path fault ends what a refusal said: one outage
      // ends and the other begins, so neither is blamed for the other's time.
      this.hooks.reconnect({ time: now, lastFailure: this.lastFailure, attempts: this.attempts, attemptMs: 0 });
      this.down = false;
      if (this.refused) {
        // The server's last refusal was its last answer: the path fault began after it.
        lastHeard = this.lastFailure;
      }
    }
    this.lastFailure = now;
    if (!this.down) {
      this.down = true;
      this.attempts = 0;
      this.lastReason = reason;
      this.hooks.disconnect({
        time: now,
        reason,
        lastHeard: refused ? now : (lastHeard ?? now),
        ...(detail ? { detail } : {}),
      });
    }
    this.setRefused(refused);
    this.setConnected(false, now);
  }

  private setRefused(on: boolean): void {
    if (this.refused !== on) {
      this.refused = on;
      this.hooks.misconfigured(on);
    }
  }

  protected rtt(ms: number): void {
    this.lastRttMs = ms;
    this.hooks.rtt(ms);
  }

  private setConnected(up: boolean, now: number): void {
    if (this.connected === up && this.since !== null) {
      return;
    }
    this.connected = up;
    this.since = now;
    this.hooks.connected(up);
  }
}

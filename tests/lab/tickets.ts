/**
 * WebSocket tickets as the t3 server hands them out (stand-in): single-use, short-lived, obtained with a
 * bearer token. The clock is injected so expiry is testable without waiting.
 */
import { randomBytes } from 'node:crypto';

export interface Ticket {
  ticket: string;
  /** RFC 3339, as the real endpoint returns it. */
  expiresAt: string;
}

export type TicketCheck = 'ok' | 'missing' | 'unknown' | 'used' | 'expired';

export class TicketStore {
  /** ticket → expiry (Unix ms); a used ticket stays as `used` so a replay is told apart from a typo. */
  private readonly tickets = new Map<string, number | 'used'>();

  constructor(
    public ttlMs: number,
    private readonly now: () => number = Date.now
  ) {
    checkTtl(ttlMs);
  }

  setTtl(ms: number): void {
    checkTtl(ms);
    this.ttlMs = ms;
  }

  issue(): Ticket {
    this.prune();
    const ticket = randomBytes(18).toString('base64url');
    const expires = this.now() + this.ttlMs;
    this.tickets.set(ticket, expires);
    return { ticket, expiresAt: new Date(expires).toISOString() };
  }

  /** Checks a ticket and, when valid, uses it up. */
  redeem(ticket: string | null | undefined): TicketCheck {
    if (!ticket) {
      return 'missing';
    }
    const entry = this.tickets.get(ticket);
    if (entry === undefined) {
      return 'unknown';
    }
    if (entry === 'used') {
      return 'used';
    }
    if (this.now() > entry) {
      return 'expired';
    }
    this.tickets.set(ticket, 'used');
    return 'ok';
  }

  /** Bounds memory in a long demo run: forgets expired tickets and used ones beyond the newest 1000. */
  private prune(): void {
    const now = this.now();
    for (const [t, e] of this.tickets) {
      if (e !== 'used' && now > e + 60_000) {
        this.tickets.delete(t);
      }
    }
    const used = [...this.tickets].filter(([, e]) => e === 'used');
    for (const [t] of used.slice(0, Math.max(0, used.length - 1000))) {
      this.tickets.delete(t);
    }
  }
}

function checkTtl(ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(`ticket ttlMs must be a positive number, got ${ms}`);
  }
}

/**
 * WebSocket tickets as the t3 server hands them out (stand-in): obtained with a bearer token, valid until
 * they expire (5 minutes by default on the real server) and NOT single-use: the server checks only a
 * ticket's signature, expiry and session, so redeeming one again within its lifetime works.
 * The clock is injected so expiry is testable without waiting.
 */
import { randomBytes } from 'node:crypto';

export interface Ticket {
  ticket: string;
  /** RFC 3339, as the real endpoint returns it. */
  expiresAt: string;
}

type TicketCheck = 'ok' | 'missing' | 'unknown' | 'expired';

/** How long an expired ticket is remembered, so a late redeem is told `expired` rather than `unknown`. */
export const EXPIRED_GRACE_MS = 60_000;
/** At most this many tickets are remembered (a long demo run buys one per connect); the oldest go first. */
const DEFAULT_MAX_TICKETS = 10_000;

interface TicketStoreOptions {
  maxTickets?: number;
}

export class TicketStore {
  /** ticket → expiry (Unix ms), in issue order. */
  private readonly tickets = new Map<string, number>();
  private readonly maxTickets: number;

  constructor(
    public ttlMs: number,
    private readonly now: () => number = Date.now,
    opts: TicketStoreOptions = {}
  ) {
    checkTtl(ttlMs);
    this.maxTickets = opts.maxTickets ?? DEFAULT_MAX_TICKETS;
    if (!Number.isSafeInteger(this.maxTickets) || this.maxTickets < 1) {
      throw new Error(`ticket maxTickets must be a positive integer, got ${opts.maxTickets}`);
    }
  }

  /** Tickets remembered now (for the memory bound's tests). */
  get size(): number {
    return this.tickets.size;
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

  /** Checks a ticket. A valid ticket stays valid: it may be redeemed again until it expires. */
  redeem(ticket: string | null | undefined): TicketCheck {
    if (!ticket) {
      return 'missing';
    }
    const expires = this.tickets.get(ticket);
    if (expires === undefined) {
      return 'unknown';
    }
    return this.now() > expires ? 'expired' : 'ok';
  }

  /** Forgets every ticket: they were bought with a token that has just been revoked. */
  revokeAll(): void {
    this.tickets.clear();
  }

  /** Bounds memory: forgets tickets expired for longer than the grace, then the oldest beyond the cap. */
  private prune(): void {
    const now = this.now();
    for (const [t, expires] of this.tickets) {
      if (now > expires + EXPIRED_GRACE_MS) {
        this.tickets.delete(t);
      }
    }
    // Map order is issue order; room is made for the ticket about to be issued.
    for (const t of this.tickets.keys()) {
      if (this.tickets.size < this.maxTickets) {
        break;
      }
      this.tickets.delete(t);
    }
  }
}

function checkTtl(ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(`ticket ttlMs must be a positive number, got ${ms}`);
  }
}

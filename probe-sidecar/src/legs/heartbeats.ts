// Heartbeats in flight, oldest first. A t3 Pong carries no id, so each answer closes the oldest one.
export interface Answer {
  sentAt: number;
  rttMs: number;
}

interface Pending {
  sentAt: number;
  waiter?: (rttMs: number | null) => void;
}

/** A server that never answers must not grow the queue without bound. */
const MAX_PENDING = 64;

export class PendingHeartbeats {
  private queue: Pending[] = [];

  sent(sentAt: number, waiter?: (rttMs: number | null) => void): void {
    this.queue.push(waiter ? { sentAt, waiter } : { sentAt });
    while (this.queue.length > MAX_PENDING) {
      this.queue.shift()?.waiter?.(null);
    }
  }

  answered(now: number): Answer | null {
    const p = this.queue.shift();
    if (!p) {
      return null;
    }
    const rttMs = now - p.sentAt;
    p.waiter?.(rttMs);
    return { sentAt: p.sentAt, rttMs };
  }

  /** The connection is gone: every waiter learns there was no answer. */
  clear(): void {
    const q = this.queue;
    this.queue = [];
    for (const p of q) {
      p.waiter?.(null);
    }
  }
}

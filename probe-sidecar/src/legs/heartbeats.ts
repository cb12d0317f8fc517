// Heartbeats in flight, oldest first. A t3 Pong carries no id, so each answer closes the oldest one.
// A ring of send times: sending and answering allocate nothing, as they run for every heartbeat of every leg.
type Waiter = (rttMs: number | null) => void;

/** A server that never answers must not grow the queue without bound. */
export const MAX_PENDING = 64;

export class PendingHeartbeats {
  private readonly sentAts = new Float64Array(MAX_PENDING);
  private readonly waiters: Array<Waiter | undefined> = new Array<Waiter | undefined>(MAX_PENDING);
  private head = 0;
  private size = 0;

  sent(sentAt: number, waiter?: Waiter): void {
    if (this.size === MAX_PENDING) {
      this.shift()?.(null);
    }
    const i = (this.head + this.size) % MAX_PENDING;
    this.sentAts[i] = sentAt;
    this.waiters[i] = waiter;
    this.size++;
  }

  /** Closes the oldest heartbeat: its send time, or null when none is in flight. */
  answered(now: number): number | null {
    if (this.size === 0) {
      return null;
    }
    const sentAt = this.sentAts[this.head]!;
    this.shift()?.(now - sentAt);
    return sentAt;
  }

  /** The connection is gone: every waiter learns there was no answer. */
  clear(): void {
    while (this.size > 0) {
      this.shift()?.(null);
    }
  }

  /** Drops the oldest entry and hands back its waiter. */
  private shift(): Waiter | undefined {
    const waiter = this.waiters[this.head];
    this.waiters[this.head] = undefined;
    this.head = (this.head + 1) % MAX_PENDING;
    this.size--;
    return waiter;
  }
}

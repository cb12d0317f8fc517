// The offset of a peer's clock from this probe's, measured on every pull the way NTP does: the peer says
// its time while answering, which happened somewhere between sending the request and reading the answer,
// so the midpoint is off by at most half the round trip. The pull with the shortest round trip among the
// recent ones is the best measurement. Each measurement's true offset lies within half its round trip, so
// one that cannot agree with the best proves a clock stepped (NTP on either host): it starts afresh.

/** Beyond both measurements' error bounds by this much, the clocks moved apart: a step, not noise. */
const STEP_MARGIN_MS = 50;

interface Sample {
  offsetMs: number;
  roundTripMs: number;
}

export class ClockOffset {
  private readonly samples: Sample[] = [];

  constructor(private readonly keep = 10) {}

  /** `sentAt`/`receivedAt` on this probe's clock, `peerNow` on the peer's. */
  add(sentAt: number, receivedAt: number, peerNow: number): void {
    const roundTripMs = Math.max(0, receivedAt - sentAt);
    const sample = { offsetMs: peerNow - (sentAt + roundTripMs / 2), roundTripMs };
    const best = this.best();
    if (best && Math.abs(sample.offsetMs - best.offsetMs) > best.errorMs + roundTripMs / 2 + STEP_MARGIN_MS) {
      this.samples.length = 0;
    }
    this.samples.push(sample);
    if (this.samples.length > this.keep) {
      this.samples.shift();
    }
  }

  /** The best estimate (peer minus this probe, ms) and its error bound, or null before the first pull. */
  best(): { offsetMs: number; errorMs: number } | null {
    let best: Sample | undefined;
    for (const s of this.samples) {
      if (!best || s.roundTripMs < best.roundTripMs) {
        best = s;
      }
    }
    return best ? { offsetMs: best.offsetMs, errorMs: best.roundTripMs / 2 } : null;
  }
}

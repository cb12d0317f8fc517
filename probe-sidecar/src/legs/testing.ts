// Test helpers for legs (imported only by *.test.ts): records what a leg reports and waits for it.
import type { Reason } from '../engine.js';
import type { StallClock } from '../selfmon.js';
import type { LegHooks } from './leg.js';

type Seen =
  | { kind: 'disconnect'; reason: Reason; time: number; lastHeard: number; detail?: string }
  | { kind: 'reconnect'; time: number; lastFailure: number; attempts: number }
  | { kind: 'connected'; up: boolean }
  | { kind: 'misconfigured'; on: boolean }
  | { kind: 'rtt'; ms: number };

export function recorder(): {
  hooks: LegHooks;
  seen: Seen[];
  waitFor: (pred: (s: Seen[]) => boolean, ms?: number) => Promise<void>;
} {
  const seen: Seen[] = [];
  const hooks: LegHooks = {
    disconnect: (e) => seen.push({ kind: 'disconnect', ...e }),
    reconnect: (e) => seen.push({ kind: 'reconnect', ...e }),
    connected: (up) => seen.push({ kind: 'connected', up }),
    misconfigured: (on) => seen.push({ kind: 'misconfigured', on }),
    rtt: (ms) => seen.push({ kind: 'rtt', ms }),
  };
  const waitFor = async (pred: (s: Seen[]) => boolean, ms = 5000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!pred(seen)) {
      if (Date.now() > deadline) {
        throw new Error(`condition not met within ${ms} ms; seen: ${JSON.stringify(seen)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { hooks, seen, waitFor };
}

/** A clock without stalls. */
export const steadyClock: StallClock = {
  mono: () => performance.now(),
  poll: () => undefined,
  stalledMs: () => 0,
};

export const disconnects = (seen: Seen[]) =>
  seen.filter((s): s is Extract<Seen, { kind: 'disconnect' }> => s.kind === 'disconnect');
export const reconnects = (seen: Seen[]) =>
  seen.filter((s): s is Extract<Seen, { kind: 'reconnect' }> => s.kind === 'reconnect');

/** Blocks the event loop, as a long GC pause or CPU starvation would. */
export function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StallClock } from '../selfmon.js';
import { SWEEP_MS, Watchdog } from './watchdog.js';

const TIMEOUT_MS = 3_000;
// Fake timers move Date.now; the watchdog's monotonic clock follows it.
const fakeClock: StallClock = { mono: () => Date.now(), poll: () => undefined, stalledMs: () => 0 };

describe('Watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires within one sweep of the silence reaching the timeout, and only once', () => {
    let fired = 0;
    const dog = new Watchdog(TIMEOUT_MS, fakeClock, () => fired++);
    dog.start();
    vi.advanceTimersByTime(1_234);
    dog.heard();
    vi.advanceTimersByTime(TIMEOUT_MS - 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(SWEEP_MS + 1);
    expect(fired).toBe(1);
    expect(dog.lastHeard).toBe(1_234);
    vi.advanceTimersByTime(10 * TIMEOUT_MS);
    expect(fired).toBe(1);
  });

  it('never fires while the server keeps talking, and not after stop', () => {
    let fired = 0;
    const dog = new Watchdog(TIMEOUT_MS, fakeClock, () => fired++);
    dog.start();
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(997 + ((i * 37) % 211));
      dog.heard();
    }
    expect(fired).toBe(0);
    dog.stop();
    vi.advanceTimersByTime(10 * TIMEOUT_MS);
    expect(fired).toBe(0);
  });

  it('does not count time the probe itself was stalled as silence', () => {
    let fired = 0;
    let stalled = 0;
    const clock: StallClock = { ...fakeClock, stalledMs: () => stalled };
    const dog = new Watchdog(TIMEOUT_MS, clock, () => fired++);
    dog.start();
    // 2.5 s of the silence was the probe frozen: only 0.5 s counts when the timeout comes due.
    stalled = 2_500;
    vi.advanceTimersByTime(TIMEOUT_MS + SWEEP_MS);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(2_500);
    expect(fired).toBe(1);
  });

  it('checks every watchdog of a clock with one timer, and leaves none behind', () => {
    const fired: number[] = [];
    const dogs = Array.from(
      { length: 20 },
      (_, i) => new Watchdog(TIMEOUT_MS + i * 100, fakeClock, () => fired.push(i))
    );
    dogs.forEach((d) => d.start());
    expect(vi.getTimerCount()).toBe(1);
    dogs[3]!.stop();
    vi.advanceTimersByTime(TIMEOUT_MS + 1_000 + SWEEP_MS);
    // Each at its own timeout; the stopped one never.
    expect(fired).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10]);
    vi.advanceTimersByTime(10 * TIMEOUT_MS);
    expect(fired).toHaveLength(19);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('restarts after firing, as a leg does when it reconnects', () => {
    let fired = 0;
    const dog = new Watchdog(TIMEOUT_MS, fakeClock, () => fired++);
    dog.start();
    vi.advanceTimersByTime(TIMEOUT_MS + SWEEP_MS);
    expect(fired).toBe(1);
    dog.start();
    vi.advanceTimersByTime(TIMEOUT_MS - SWEEP_MS);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(2 * SWEEP_MS);
    expect(fired).toBe(2);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StallClock } from '../selfmon.js';
import { Watchdog } from './watchdog.js';

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

  it('fires when the silence since the last sign of life reaches the timeout, and only once', () => {
    let fired = 0;
    const dog = new Watchdog(TIMEOUT_MS, fakeClock, () => fired++);
    dog.start();
    vi.advanceTimersByTime(1_234);
    dog.heard();
    vi.advanceTimersByTime(TIMEOUT_MS - 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(2);
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
    // 2.5 s of the silence was the probe frozen: only 0.5 s counts when the timer comes due.
    stalled = 2_500;
    vi.advanceTimersByTime(TIMEOUT_MS + 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(2_500);
    expect(fired).toBe(1);
  });
});

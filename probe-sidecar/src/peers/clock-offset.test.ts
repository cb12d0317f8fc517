import { describe, expect, it } from 'vitest';
import { ClockOffset } from './clock-offset.js';

describe('ClockOffset', () => {
  it('has no estimate before the first pull', () => {
    expect(new ClockOffset().best()).toBeNull();
  });

  it('takes the midpoint of the round trip: a peer 5 s ahead, answering after a 40 ms round trip', () => {
    const c = new ClockOffset();
    c.add(1_000, 1_040, 6_020);
    expect(c.best()).toEqual({ offsetMs: 5_000, errorMs: 20 });
  });

  it('trusts the pull with the shortest round trip among the recent ones', () => {
    const c = new ClockOffset();
    c.add(0, 400, 5_100); // a slow pull: the answer may have been written anywhere in 400 ms
    c.add(1_000, 1_010, 6_005);
    c.add(2_000, 2_300, 7_400);
    expect(c.best()).toEqual({ offsetMs: 5_000, errorMs: 5 });
  });

  it('follows a clock that stepped once the older samples have aged out', () => {
    const c = new ClockOffset(3);
    c.add(0, 2, 5_001);
    for (let i = 1; i <= 3; i++) {
      c.add(i * 1_000, i * 1_000 + 10, i * 1_000 + 5 - 2_000);
    }
    expect(c.best()?.offsetMs).toBe(-2_000);
  });
});

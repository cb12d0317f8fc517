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
    c.add(2_000, 2_300, 7_300);
    expect(c.best()).toEqual({ offsetMs: 5_000, errorMs: 5 });
  });

  it('follows a clock that stepped at the first measurement that cannot agree with the best one', () => {
    const c = new ClockOffset();
    c.add(0, 2, 5_001); // 5 s ahead, ±1 ms
    c.add(1_000, 1_010, 1_005 - 2_000); // 2 s behind, ±5 ms: the peer's clock stepped back 7 s
    expect(c.best()).toEqual({ offsetMs: -2_000, errorMs: 5 });
  });

  it('keeps the best measurement when a slow one disagrees only within its own error', () => {
    const c = new ClockOffset();
    c.add(0, 2, 5_001);
    c.add(1_000, 1_600, 1_300 + 5_000 + 250); // 250 ms off, but its round trip allows ±300 ms
    expect(c.best()).toEqual({ offsetMs: 5_000, errorMs: 1 });
  });
});

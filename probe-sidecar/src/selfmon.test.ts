import { describe, expect, it } from 'vitest';
import { SelfMonitor } from './selfmon.js';

function fake() {
  const t = { mono: 0, wall: 1_000_000 };
  const stalls: Array<{ time: number; durationMs: number }> = [];
  const lags: number[] = [];
  const m = new SelfMonitor({
    tickMs: 100,
    thresholdMs: 1000,
    mono: () => t.mono,
    wall: () => t.wall,
    onStall: (s) => stalls.push(s),
    onLag: (l) => lags.push(l),
  });
  const advance = (mono: number, wall = mono) => {
    t.mono += mono;
    t.wall += wall;
  };
  return { t, m, stalls, lags, advance, tick: () => (m as unknown as { sample(tick: boolean): void }).sample(true) };
}

describe('SelfMonitor', () => {
  it('records the lag of every tick, no stall for small lags', () => {
    const f = fake();
    f.advance(150);
    f.tick();
    f.advance(100);
    f.tick();
    expect(f.lags).toEqual([50, 0]);
    expect(f.stalls).toEqual([]);
  });

  it('a late tick (SIGSTOP, GC) is a stall with its duration, and its time is excused', () => {
    const f = fake();
    f.advance(100);
    f.tick();
    f.advance(5_100);
    f.tick();
    expect(f.stalls).toEqual([{ time: f.t.wall, durationMs: 5_000 }]);
    expect(f.m.stalledMs(0, f.t.mono)).toBe(5_000);
    expect(f.m.stalledMs(f.t.mono - 1_000, f.t.mono)).toBe(1_000);
    expect(f.m.stalledMs(0, 50)).toBe(0);
  });

  it('poll() notices a stall before the sampling timer does, and the next tick does not count it again', () => {
    const f = fake();
    f.advance(3_000);
    f.m.poll();
    expect(f.stalls).toHaveLength(1);
    f.advance(100);
    f.tick();
    expect(f.stalls).toHaveLength(1);
  });

  it('a wall-clock jump without monotonic time passing (suspended VM) is a stall', () => {
    const f = fake();
    f.advance(100, 60_100);
    f.tick();
    expect(f.stalls).toEqual([{ time: f.t.wall, durationMs: 60_000 }]);
  });
});

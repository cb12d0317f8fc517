import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const policy = { initialMs: 3_000, maxMs: 16_000 };

describe('backoffDelay', () => {
  it('doubles from initial and caps at max: 3s, 6s, 12s, 16s, 16s (no jitter at the midpoint)', () => {
    expect([1, 2, 3, 4, 5, 20].map((n) => backoffDelay(n, policy, () => 0.5))).toEqual([
      3_000, 6_000, 12_000, 16_000, 16_000, 16_000,
    ]);
  });
  it('jitters by ±20 % and never exceeds max', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(2_400);
    expect(backoffDelay(1, policy, () => 1)).toBe(3_600);
    expect(backoffDelay(4, policy, () => 1)).toBe(16_000);
    expect(backoffDelay(4, policy, () => 0)).toBe(12_800);
  });
  it('survives absurd attempt counts', () => {
    expect(backoffDelay(10_000, policy, () => 0.5)).toBe(16_000);
  });
});

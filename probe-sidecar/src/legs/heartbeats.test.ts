import { describe, expect, it } from 'vitest';
import { MAX_PENDING, PendingHeartbeats } from './heartbeats.js';

describe('PendingHeartbeats', () => {
  it('closes the oldest heartbeat with each answer, across the ring wrapping many times', () => {
    const q = new PendingHeartbeats();
    const seen: number[] = [];
    for (let t = 0; t < 10 * MAX_PENDING; t++) {
      q.sent(t * 1000);
      q.sent(t * 1000 + 500);
      seen.push(q.answered(t * 1000 + 700)!);
      seen.push(q.answered(t * 1000 + 900)!);
    }
    expect(seen).toEqual(Array.from({ length: 10 * MAX_PENDING }, (_, t) => [t * 1000, t * 1000 + 500]).flat());
    expect(q.answered(0)).toBeNull();
  });

  it('tells a waiter the round trip of its own heartbeat', () => {
    const q = new PendingHeartbeats();
    const rtts: Array<number | null> = [];
    q.sent(100);
    q.sent(200, (rtt) => rtts.push(rtt));
    q.answered(150);
    expect(rtts).toEqual([]);
    expect(q.answered(260)).toBe(200);
    expect(rtts).toEqual([60]);
  });

  it('keeps at most MAX_PENDING unanswered: the oldest is dropped and its waiter told', () => {
    const q = new PendingHeartbeats();
    const dropped: Array<number | null> = [];
    q.sent(0, (rtt) => dropped.push(rtt));
    for (let i = 1; i <= MAX_PENDING; i++) {
      q.sent(i);
    }
    expect(dropped).toEqual([null]);
    const answered = Array.from({ length: MAX_PENDING + 1 }, () => q.answered(1000));
    expect(answered).toEqual([...Array.from({ length: MAX_PENDING }, (_, i) => i + 1), null]);
  });

  it('clear empties the queue and tells every waiter there was no answer', () => {
    const q = new PendingHeartbeats();
    const told: Array<number | null> = [];
    q.sent(1, (rtt) => told.push(rtt));
    q.sent(2);
    q.sent(3, (rtt) => told.push(rtt));
    q.clear();
    expect(told).toEqual([null, null]);
    expect(q.answered(10)).toBeNull();
    q.sent(20);
    expect(q.answered(25)).toBe(20);
  });
});

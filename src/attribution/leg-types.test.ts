/** What each leg type means for detection, in the one table that says it. */
import { describe, expect, it } from 'vitest';
import { breakDetectionMs, detectionOf, isLegType, LEG_TYPE_NAMES, stallDetectionMs } from './leg-types';
import type { Leg } from './types';

const leg = (type: Leg['type']): Leg => ({
  name: type,
  type,
  segments: ['serve'],
  intervalMs: 10_000,
  timeoutMs: 20_000,
});

describe('leg types', () => {
  it('are websocket, http and tcp, in the order errors list them', () => {
    expect(LEG_TYPE_NAMES).toEqual(['websocket', 'http', 'tcp']);
    expect(isLegType('http')).toBe(true);
    expect(isLegType('toString')).toBe(false);
  });

  it('a websocket leg holds its connection: a break is seen at once, a stall once the watchdog runs out', () => {
    const ws = leg('websocket');
    expect(detectionOf(ws).heldConnection).toBe(true);
    expect(breakDetectionMs(ws)).toBe(0);
    expect(stallDetectionMs(ws)).toBe(20_000);
    // A fired watchdog: some heartbeat went unanswered for timeout − interval.
    expect(detectionOf(ws).watchdogProvesMs(ws)).toBe(10_000);
  });

  it('an http leg checks once per interval: a break is seen within one, a stall within interval + timeout', () => {
    const http = leg('http');
    expect(detectionOf(http).heldConnection).toBe(false);
    expect(breakDetectionMs(http)).toBe(10_000);
    expect(stallDetectionMs(http)).toBe(30_000);
    // A timed-out request waited its whole timeout.
    expect(detectionOf(http).watchdogProvesMs(http)).toBe(20_000);
  });

  it('a tcp leg connects once per interval, as an http leg requests: the same detection times', () => {
    const tcp = leg('tcp');
    expect(detectionOf(tcp).heldConnection).toBe(false);
    expect(breakDetectionMs(tcp)).toBe(10_000);
    expect(stallDetectionMs(tcp)).toBe(30_000);
    // A timed-out connect waited its whole timeout.
    expect(detectionOf(tcp).watchdogProvesMs(tcp)).toBe(20_000);
  });

  it('every type notices a break no later than a stall, and a held connection sees a break at once', () => {
    for (const type of LEG_TYPE_NAMES) {
      const l = leg(type);
      expect(breakDetectionMs(l)).toBeLessThanOrEqual(stallDetectionMs(l));
      expect(breakDetectionMs(l) === 0).toBe(detectionOf(l).heldConnection);
    }
  });
});

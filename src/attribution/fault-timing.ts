import { detectionOf } from './leg-types';
import type { Interval } from './timeline';
import type { Leg, Outage } from './types';

/**
 * When the fault can have begun, as far as one outage tells: after the leg last heard the server and
 * before it gave up; a held connection that was cut was cut at the moment the leg saw it.
 */
export function faultBegan(outage: Outage, leg: Leg | undefined): Interval {
  if (outage.kind === 'break' && leg && detectionOf(leg).heldConnection) {
    return { start: outage.detectedAt, end: outage.detectedAt };
  }
  return { start: outage.start, end: outage.detectedAt };
}

/**
 * How long a failing leg knows the fault was present: what its fired watchdog proves (see `LEG_TYPES`), then
 * every later failed attempt extends it. A break is only known at the instants it was seen.
 */
export function faultSeen(outage: Outage, leg: Leg | undefined, now: number): Interval {
  const unanswered = outage.kind === 'stall' && leg ? detectionOf(leg).watchdogProvesMs(leg) : 0;
  // A leg that is still down still sees the fault now.
  const until = outage.end === null ? Math.max(now, outage.lastFailure) : outage.lastFailure;
  return { start: outage.detectedAt - unanswered, end: Math.max(until, outage.detectedAt) };
}

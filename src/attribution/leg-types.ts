import type { Leg, LegType } from './types';

/** A leg's timings: its check interval and its watchdog (see `Leg`). */
type Timing = Pick<Leg, 'intervalMs' | 'timeoutMs'>;

/**
 * What a leg type means for detection: how soon a healthy leg of that type is sure to notice a fault, and
 * what a leg of that type that failed proves about it. Everything the engine knows about leg types is here:
 * adding a type is one entry in `LEG_TYPES`.
 */
interface LegDetection {
  /**
   * The leg holds one connection open and checks it with heartbeats, so a break (reset, close) cuts it at
   * the instant it happens. Otherwise the leg makes one check per interval and sees a break only if a
   * check lands in it.
   */
  heldConnection: boolean;
  /** The shortest stall a healthy leg is certain to notice. */
  stallDetectionMs(leg: Timing): number;
  /** The shortest break (reset, refusal) a healthy leg is certain to notice. */
  breakDetectionMs(leg: Timing): number;
  /** How long a fired watchdog (a stall) proves the fault was present before the leg gave up. */
  watchdogProvesMs(leg: Timing): number;
}

/**
 * A held connection: the watchdog fires once nothing was heard for `timeout`, so it is sure to notice a
 * stall longer than that; and once it fired, at least one heartbeat went unanswered for timeout − interval.
 */
const HELD_CONNECTION: LegDetection = {
  heldConnection: true,
  stallDetectionMs: (leg) => leg.timeoutMs,
  breakDetectionMs: () => 0,
  watchdogProvesMs: (leg) => Math.max(0, leg.timeoutMs - leg.intervalMs),
};

/**
 * One check per interval, each with a timeout: a stall is certain to be noticed only if it lasts long
 * enough for a check to land in it and then time out; a timed-out check waited its whole timeout.
 */
const CHECK_PER_INTERVAL: LegDetection = {
  heldConnection: false,
  stallDetectionMs: (leg) => leg.intervalMs + leg.timeoutMs,
  breakDetectionMs: (leg) => leg.intervalMs,
  watchdogProvesMs: (leg) => leg.timeoutMs,
};

/**
 * Every leg type the engine knows, with what it means for detection. A tcp leg connects and closes once
 * per interval: a refused, reset or unanswered connect is its failed check, as an http leg's request is.
 * Its connect is answered by the target host's kernel, so it watches the network and the listener up to
 * that host, which is what a leg of this type is for (a segment's reachability, not a process behind it).
 */
const LEG_TYPES: Readonly<Record<LegType, LegDetection>> = {
  websocket: HELD_CONNECTION,
  http: CHECK_PER_INTERVAL,
  tcp: CHECK_PER_INTERVAL,
};

export const LEG_TYPE_NAMES = Object.keys(LEG_TYPES) as LegType[];

export function isLegType(value: unknown): value is LegType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LEG_TYPES, value);
}

export function detectionOf(leg: Pick<Leg, 'type'>): LegDetection {
  return LEG_TYPES[leg.type];
}

/** The shortest stall this leg is certain to notice while healthy. */
export function stallDetectionMs(leg: Leg): number {
  return detectionOf(leg).stallDetectionMs(leg);
}

/** The shortest break (reset, refusal) this leg is certain to notice while healthy. */
export function breakDetectionMs(leg: Leg): number {
  return detectionOf(leg).breakDetectionMs(leg);
}

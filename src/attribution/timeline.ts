import { faultKindOf } from './reasons';
import type { HeartbeatEvent, Leg, Outage, ProbeEvent } from './types';

/** A stretch of time during which a probe (`probe`: a peer; absent: this one) ran and probed `legs` (null: all its legs). */
interface Run {
  start: number;
  /** The probe stopped, or the last sign of life of a run that ended without a stop (a crash); null: still running. */
  end: number | null;
  legs: string[] | null;
  probe?: string;
}

export interface Interval {
  start: number;
  end: number;
}

/** A probe froze (`probe`: a peer; absent: this one): its legs watched nothing meanwhile. */
interface ProbeStall extends Interval {
  probe?: string;
}

/** Everything the engine reads out of an event stream, whatever order the events came in. */
export interface Timeline {
  outages: Outage[];
  runs: Run[];
  probeStalls: ProbeStall[];
  heartbeats: HeartbeatEvent[];
}

/** The stalls of the probe that runs `leg`. */
export function stallsOf(timeline: Timeline, leg: Pick<Leg, 'probe'>): ProbeStall[] {
  return timeline.probeStalls.filter((s) => s.probe === leg.probe);
}

// Equal times: an outage that ends and another that starts in the same millisecond close first.
const RANK: Record<ProbeEvent['type'], number> = {
  probe_start: 0,
  reconnect: 1,
  disconnect: 2,
  heartbeat: 3,
  probe_stall: 3,
  probe_alive: 3,
  probe_stop: 4,
};

/** Every type of event the probe records. */
export const EVENT_TYPES = Object.keys(RANK) as Array<ProbeEvent['type']>;

/** Whose event it is: a leg's, or (coverage, stalls) a probe's — this one's or a peer's. */
function eventOwner(event: ProbeEvent): string {
  return 'leg' in event ? event.leg : `probe:${event.probe ?? ''}`;
}

/** Sorted by time, exact duplicates (a replayed record) dropped. */
function sortEvents(events: readonly ProbeEvent[]): ProbeEvent[] {
  const seen = new Set<string>();
  const unique: ProbeEvent[] = [];
  for (const event of events) {
    if (!Number.isFinite(event.time)) {
      continue;
    }
    const key = `${event.type}|${eventOwner(event)}|${event.time}`;
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(event);
    }
  }
  return unique.sort((a, b) => a.time - b.time || RANK[a.type] - RANK[b.type]);
}

/**
 * `probeOf` names the peer probe that runs a leg (undefined: this probe): each probe's runs are its own, so
 * a peer's start or stop ends only its own legs' outages.
 */
export function readTimeline(
  events: readonly ProbeEvent[],
  probeOf: (leg: string) => string | undefined = () => undefined
): Timeline {
  const sorted = sortEvents(events);
  const outages: Outage[] = [];
  const open = new Map<string, Outage>();
  const runs: Run[] = [];
  const probeStalls: ProbeStall[] = [];
  const heartbeats: HeartbeatEvent[] = [];
  const current = new Map<string | undefined, Run>();
  const lastSeen = new Map<string | undefined, number>();

  // A run that ends (stop, or a new start after a crash) leaves its open outages without a known end:
  // they end with the run, as far as anyone can tell.
  const closeRun = (probe: string | undefined, end: number): void => {
    const run = current.get(probe);
    if (run) {
      run.end = end;
      current.delete(probe);
    }
    for (const [leg, outage] of open) {
      if (probeOf(leg) === probe) {
        outage.end = Math.max(end, outage.detectedAt);
        outages.push(outage);
        open.delete(leg);
      }
    }
  };
  const startRun = (probe: string | undefined, start: number, legs: string[] | null): void => {
    const run: Run = { start, end: null, legs, ...(probe === undefined ? {} : { probe }) };
    current.set(probe, run);
    runs.push(run);
  };

  for (const event of sorted) {
    const probe = 'leg' in event ? probeOf(event.leg) : event.probe;
    switch (event.type) {
      case 'probe_start':
        if (current.has(probe)) {
          closeRun(probe, lastSeen.get(probe) ?? event.time);
        }
        startRun(probe, event.time, event.legs ? [...event.legs] : null);
        break;
      case 'probe_stop':
        closeRun(probe, event.time);
        break;
      case 'disconnect': {
        const current = open.get(event.leg);
        if (current) {
          current.lastFailure = Math.max(current.lastFailure, event.time);
        } else {
          open.set(event.leg, {
            leg: event.leg,
            start: Math.min(event.lastHeard ?? event.time, event.time),
            detectedAt: event.time,
            end: null,
            reason: event.reason,
            kind: faultKindOf(event.reason),
            lastFailure: event.time,
          });
        }
        break;
      }
      case 'reconnect': {
        const current = open.get(event.leg);
        if (current) {
          const seenUntil = Math.min(event.lastFailure ?? current.lastFailure, event.time);
          current.lastFailure = Math.max(current.lastFailure, seenUntil);
          current.end = event.time;
          outages.push(current);
          open.delete(event.leg);
        }
        break;
      }
      case 'heartbeat':
        heartbeats.push(event);
        break;
      case 'probe_stall':
        probeStalls.push({
          start: event.time - Math.max(0, event.durationMs),
          end: event.time,
          ...(probe === undefined ? {} : { probe }),
        });
        break;
      case 'probe_alive':
        // A reader that looked back less far than the probe's uptime sees the run only by its signs of life.
        if (!current.has(probe)) {
          startRun(probe, event.time, event.legs ? [...event.legs] : null);
        }
        break;
    }
    lastSeen.set(probe, event.time);
  }
  outages.push(...open.values());
  return { outages: outages.sort((a, b) => a.detectedAt - b.detectedAt), runs, probeStalls, heartbeats };
}

/** Whether the probe that runs `leg` (`probe`: a peer; absent: this one) was probing it for the whole of [from, to]. */
export function covered(
  runs: readonly Run[],
  leg: string,
  from: number,
  to: number,
  now: number,
  probe?: string
): boolean {
  const spans = runs
    .filter((r) => r.probe === probe && (r.legs === null || r.legs.includes(leg)))
    .map((r) => ({ start: r.start, end: r.end ?? now }))
    .sort((a, b) => a.start - b.start);
  let reached = from;
  for (const span of spans) {
    if (span.start > reached) {
      return false;
    }
    reached = Math.max(reached, span.end);
    if (reached >= to) {
      return true;
    }
  }
  return reached >= to;
}

export function overlaps(a: Interval, b: Interval, slack = 0): boolean {
  return a.start <= b.end + slack && b.start <= a.end + slack;
}

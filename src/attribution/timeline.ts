import { faultKindOf } from './reasons';
import type { HeartbeatEvent, Outage, ProbeEvent } from './types';

/** A stretch of time during which the probe ran and probed `legs` (null: every leg). */
interface Run {
  start: number;
  /** The probe stopped, or the last sign of life of a run that ended without a stop (a crash); null: still running. */
  end: number | null;
  legs: string[] | null;
}

export interface Interval {
  start: number;
  end: number;
}

/** Everything the engine reads out of an event stream, whatever order the events came in. */
export interface Timeline {
  outages: Outage[];
  runs: Run[];
  probeStalls: Interval[];
  heartbeats: HeartbeatEvent[];
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

function eventLeg(event: ProbeEvent): string {
  return 'leg' in event ? event.leg : '';
}

/** Sorted by time, exact duplicates (a replayed record) dropped. */
function sortEvents(events: readonly ProbeEvent[]): ProbeEvent[] {
  const seen = new Set<string>();
  const unique: ProbeEvent[] = [];
  for (const event of events) {
    if (!Number.isFinite(event.time)) {
      continue;
    }
    const key = `${event.type}|${eventLeg(event)}|${event.time}`;
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(event);
    }
  }
  return unique.sort((a, b) => a.time - b.time || RANK[a.type] - RANK[b.type]);
}

export function readTimeline(events: readonly ProbeEvent[]): Timeline {
  const sorted = sortEvents(events);
  const outages: Outage[] = [];
  const open = new Map<string, Outage>();
  const runs: Run[] = [];
  const probeStalls: Interval[] = [];
  const heartbeats: HeartbeatEvent[] = [];
  let run: Run | null = null;
  let lastSeen = Number.NEGATIVE_INFINITY;

  // A run that ends (stop, or a new start after a crash) leaves its open outages without a known end:
  // they end with the run, as far as anyone can tell.
  const closeRun = (end: number): void => {
    if (run) {
      run.end = end;
      run = null;
    }
    for (const outage of open.values()) {
      outage.end = Math.max(end, outage.detectedAt);
      outages.push(outage);
    }
    open.clear();
  };

  for (const event of sorted) {
    switch (event.type) {
      case 'probe_start':
        if (run) {
          closeRun(lastSeen);
        }
        run = { start: event.time, end: null, legs: event.legs ? [...event.legs] : null };
        runs.push(run);
        break;
      case 'probe_stop':
        closeRun(event.time);
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
        probeStalls.push({ start: event.time - Math.max(0, event.durationMs), end: event.time });
        break;
      case 'probe_alive':
        // A reader that looked back less far than the probe's uptime sees the run only by its signs of life.
        if (!run) {
          run = { start: event.time, end: null, legs: null };
          runs.push(run);
        }
        break;
    }
    lastSeen = event.time;
  }
  outages.push(...open.values());
  return { outages: outages.sort((a, b) => a.detectedAt - b.detectedAt), runs, probeStalls, heartbeats };
}

/** Whether the probe was probing `leg` for the whole of [from, to]. */
export function covered(runs: readonly Run[], leg: string, from: number, to: number, now: number): boolean {
  const spans = runs
    .filter((r) => r.legs === null || r.legs.includes(leg))
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

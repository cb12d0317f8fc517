import { breakDetectionMs, stallDetectionMs } from './leg-types';
import { covered, type Interval, overlaps, type Timeline } from './timeline';
import { makeEvidence } from './records';
import type { Cluster } from './clustering';
import type { EvidenceWhy, FaultKind, HeartbeatEvent, Leg, LegEvidence, Outage, Thresholds } from './types';

/**
 * Each leg's outages and heartbeats, in timeline order. Judging a healthy leg reads only its own, near the
 * incident; scanning every outage and heartbeat for every leg of every incident made a rebuild quadratic
 * in the history (the probe rebuilds every second while a leg flaps).
 */
export interface LegIndex {
  outages: Map<string, Outage[]>;
  heartbeats: Map<string, HeartbeatEvent[]>;
}

function groupByLeg<T extends { leg: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.leg);
    if (list) {
      list.push(item);
    } else {
      out.set(item.leg, [item]);
    }
  }
  return out;
}

/** Each leg's outages and heartbeats, for `judgeHealthyLeg`. */
export function indexByLeg(outages: readonly Outage[], heartbeats: readonly HeartbeatEvent[]): LegIndex {
  return { outages: groupByLeg(outages), heartbeats: groupByLeg(heartbeats) };
}

/** The heartbeats (sorted by time) from `from` to `to` inclusive, found by binary search. */
function heartbeatsWithin(sorted: readonly HeartbeatEvent[], from: number, to: number): HeartbeatEvent[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.time < from) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const out: HeartbeatEvent[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.time <= to; i++) {
    out.push(sorted[i]!);
  }
  return out;
}

/** A prompt round trip that started and ended while the fault was known to be present. */
function corroborates(hb: HeartbeatEvent, seen: readonly Interval[], rttStallMs: number): boolean {
  if (hb.rttMs === null || hb.rttMs >= rttStallMs) {
    return false;
  }
  const rtt = hb.rttMs;
  return seen.some((s) => hb.time >= s.start && hb.time + rtt <= s.end);
}

/**
 * The shortest fault a healthy leg is sure to show, and the why of each judgement: a drop for a stall or a
 * break, a slow round trip for a slowdown (round trips slowed past the stall threshold, no leg dropped).
 */
function detection(
  leg: Leg,
  kind: FaultKind | 'slowdown',
  minFaultMs: number,
  rttStallMs: number
): { neededMs: number; clear: EvidenceWhy; blind: EvidenceWhy } {
  if (kind === 'slowdown') {
    // A stall of length L delays some check of every leg through it by at least L − interval.
    return {
      neededMs: leg.intervalMs + rttStallMs,
      clear: { code: 'fast_through_slowdown' },
      blind: { code: 'too_few_round_trips' },
    };
  }
  if (kind === 'stall') {
    const neededMs = stallDetectionMs(leg);
    return {
      neededMs,
      clear: { code: 'stayed_up_through_stall', minFaultMs, neededMs },
      blind: { code: 'stall_under_watchdog', minFaultMs, neededMs },
    };
  }
  const neededMs = breakDetectionMs(leg);
  return {
    neededMs,
    clear:
      neededMs === 0
        ? { code: 'connection_held_through_break' }
        : { code: 'stayed_up_through_break', minFaultMs, checkEveryMs: leg.intervalMs },
    blind: { code: 'break_between_checks', minFaultMs, checkEveryMs: leg.intervalMs },
  };
}

/**
 * How a leg that stayed healthy through a path fault or a slowdown counts: whether it clears its segments,
 * and why. It clears them when the fault lasted long enough for it to show, or when one of its round trips
 * started and ended promptly while the fault was known to be present (`seen`).
 */
export function judgeHealthyLeg(
  leg: Leg,
  cluster: Pick<Cluster, 'start' | 'end'>,
  kind: FaultKind | 'slowdown',
  minFaultMs: number,
  seen: readonly Interval[],
  timeline: Timeline,
  index: LegIndex,
  opts: { now: number; t: Thresholds }
): LegEvidence {
  const judged = (role: LegEvidence['role'], why: EvidenceWhy): LegEvidence =>
    makeEvidence({ leg: leg.name, role, reasons: [], why });
  const span: Interval = { start: cluster.start, end: cluster.end ?? opts.now };
  if (!covered(timeline.runs, leg.name, span.start, Math.min(span.end, opts.now), opts.now, leg.probe)) {
    return judged('nodata', { code: 'not_probed' });
  }
  // A healthy leg has no outage in this cluster, so each of its outages is another fault's.
  const busy = index.outages.get(leg.name)?.find((o) => overlaps({ start: o.start, end: o.end ?? opts.now }, span));
  if (busy) {
    return judged('blind', { code: 'down_for_another_fault', reason: busy.reason });
  }
  const hbs = heartbeatsWithin(
    index.heartbeats.get(leg.name) ?? [],
    span.start - opts.t.slackMs,
    span.end + opts.t.slackMs
  );
  const slow = hbs.filter((h) => h.rttMs === null || h.rttMs >= opts.t.rttStallMs);
  if (slow.length > 0) {
    return judged('blind', {
      code: 'round_trips_slowed',
      worstMs: Math.max(...slow.map((h) => h.rttMs ?? leg.timeoutMs)),
    });
  }
  const { neededMs, clear, blind } = detection(leg, kind, minFaultMs, opts.t.rttStallMs);
  if (minFaultMs >= neededMs) {
    return judged('clear', clear);
  }
  const proof = hbs.find((h) => corroborates(h, seen, opts.t.rttStallMs));
  if (proof) {
    return judged('clear', { code: 'answered_cross_check', rttMs: proof.rttMs ?? 0 });
  }
  return judged('blind', blind);
}

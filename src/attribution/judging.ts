import { breakDetectionMs, stallDetectionMs } from './leg-types';
import { covered, type Interval, overlaps, type Timeline } from './timeline';
import { formatDuration } from './duration';
import type { Cluster } from './clustering';
import type { FaultKind, HeartbeatEvent, Leg, LegEvidence, Outage, Thresholds } from './types';

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

export function judgeHealthyLeg(
  leg: Leg,
  cluster: Cluster,
  kind: FaultKind,
  minFaultMs: number,
  seen: readonly Interval[],
  timeline: Timeline,
  index: LegIndex,
  opts: { now: number; t: Thresholds }
): LegEvidence {
  const span: Interval = { start: cluster.start, end: cluster.end ?? opts.now };
  const base = { leg: leg.name, reasons: [] };
  if (!covered(timeline.runs, leg.name, span.start, Math.min(span.end, opts.now), opts.now)) {
    return { ...base, role: 'nodata', note: 'no data: the probe was not probing this leg for the whole incident' };
  }
  // A healthy leg has no outage in this cluster, so each of its outages is another fault's.
  const busy = index.outages.get(leg.name)?.find((o) => overlaps({ start: o.start, end: o.end ?? opts.now }, span));
  if (busy) {
    return { ...base, role: 'blind', note: `was down for another fault (${busy.reason}) at the time` };
  }
  const hbs = heartbeatsWithin(
    index.heartbeats.get(leg.name) ?? [],
    span.start - opts.t.slackMs,
    span.end + opts.t.slackMs
  );
  const slow = hbs.filter((h) => h.rttMs === null || h.rttMs >= opts.t.rttStallMs);
  if (slow.length > 0) {
    const worst = Math.max(...slow.map((h) => h.rttMs ?? leg.timeoutMs));
    return {
      ...base,
      role: 'blind',
      note: `stayed up but its round trips slowed to ${formatDuration(worst)}: it likely felt the same fault`,
    };
  }
  const needed = kind === 'stall' ? stallDetectionMs(leg) : breakDetectionMs(leg);
  if (minFaultMs >= needed) {
    return {
      ...base,
      role: 'clear',
      note:
        kind === 'stall'
          ? `stayed up through a fault of at least ${formatDuration(minFaultMs)}; its watchdog catches any stall over ${formatDuration(needed)}`
          : needed === 0
            ? 'its connection stayed open through the break'
            : `stayed up through a break of at least ${formatDuration(minFaultMs)}; it checks every ${formatDuration(leg.intervalMs)}`,
    };
  }
  const proof = hbs.find((h) => corroborates(h, seen, opts.t.rttStallMs));
  if (proof) {
    return {
      ...base,
      role: 'clear',
      note: `answered a cross-check in ${formatDuration(proof.rttMs ?? 0)} while the fault was present`,
    };
  }
  return {
    ...base,
    role: 'blind',
    note:
      kind === 'stall'
        ? `stayed up, but the fault may have been as short as ${formatDuration(minFaultMs)}, under its ${formatDuration(needed)} watchdog`
        : `stayed up, but checks only every ${formatDuration(leg.intervalMs)} and may have missed a ${formatDuration(minFaultMs)} break`,
  };
}

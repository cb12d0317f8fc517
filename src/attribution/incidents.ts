import { breakDetectionMs, detectionOf, stallDetectionMs } from './leg-types';
import { legByName, normalizeTopology, PROBE_SEGMENT } from './topology';
import { covered, type Interval, overlaps, readTimeline, type Timeline } from './timeline';
import { withDefaults } from './thresholds';
import { makeIncident } from './records';
import { suspectsOf } from './suspects';
import { refusalNote } from './wording';
import { formatDuration } from './duration';
import type {
  FaultKind,
  HeartbeatEvent,
  Incident,
  Leg,
  LegEvidence,
  Outage,
  ProbeEvent,
  SegmentId,
  Thresholds,
  Topology,
} from './types';

export interface IncidentOptions {
  now: number;
  thresholds?: Partial<Thresholds>;
}

/**
 * Outages of different legs belong to one fault when one moment can be its start for all of them: after
 * every leg last heard the server and before any leg gave up. Outages that merely overlap in time, like a
 * long Cloudflare outage and a short serve stall inside it, stay separate incidents.
 */
function clusterOutages(outages: readonly Outage[], topology: Topology, slackMs: number): Outage[][] {
  const clusters: Array<{ latestStart: number; earliestEnd: number; members: Outage[] }> = [];
  for (const outage of [...outages].sort((a, b) => a.detectedAt - b.detectedAt)) {
    const began = faultBegan(outage, legByName(topology, outage.leg));
    // The latest cluster that fits, searched from the end without copying: this runs for every outage.
    let home: (typeof clusters)[number] | undefined;
    for (let i = clusters.length - 1; i >= 0 && !home; i--) {
      const c = clusters[i]!;
      if (
        Math.max(c.latestStart, began.start) <= Math.min(c.earliestEnd, began.end) + slackMs &&
        !c.members.some((m) => m.leg === outage.leg)
      ) {
        home = c;
      }
    }
    if (home) {
      home.members.push(outage);
      home.latestStart = Math.max(home.latestStart, began.start);
      home.earliestEnd = Math.min(home.earliestEnd, began.end);
    } else {
      clusters.push({ latestStart: began.start, earliestEnd: began.end, members: [outage] });
    }
  }
  return clusters.map((c) => c.members);
}

/**
 * When the fault can have begun, as far as one outage tells: after the leg last heard the server and
 * before it gave up; a held connection that was cut was cut at the moment the leg saw it.
 */
function faultBegan(outage: Outage, leg: Leg | undefined): Interval {
  if (outage.kind === 'break' && leg && detectionOf(leg).heldConnection) {
    return { start: outage.detectedAt, end: outage.detectedAt };
  }
  return { start: outage.start, end: outage.detectedAt };
}

/**
 * How long a failing leg knows the fault was present: what its fired watchdog proves (see `LEG_TYPES`), then
 * every later failed attempt extends it. A break is only known at the instants it was seen.
 */
function faultSeen(outage: Outage, leg: Leg | undefined, now: number): Interval {
  const unanswered = outage.kind === 'stall' && leg ? detectionOf(leg).watchdogProvesMs(leg) : 0;
  // A leg that is still down still sees the fault now.
  const until = outage.end === null ? Math.max(now, outage.lastFailure) : outage.lastFailure;
  return { start: outage.detectedAt - unanswered, end: Math.max(until, outage.detectedAt) };
}

/** A prompt round trip that started and ended while the fault was known to be present. */
function corroborates(hb: HeartbeatEvent, seen: readonly Interval[], rttStallMs: number): boolean {
  if (hb.rttMs === null || hb.rttMs >= rttStallMs) {
    return false;
  }
  const rtt = hb.rttMs;
  return seen.some((s) => hb.time >= s.start && hb.time + rtt <= s.end);
}

interface Cluster {
  members: Outage[];
  start: number;
  end: number | null;
}

/**
 * Each leg's outages and heartbeats, in timeline order. Judging a healthy leg reads only its own, near the
 * incident; scanning every outage and heartbeat for every leg of every incident made a rebuild quadratic
 * in the history (the probe rebuilds every second while a leg flaps).
 */
interface LegIndex {
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

function judgeHealthyLeg(
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

function attributeCluster(
  cluster: Cluster,
  topology: Topology,
  timeline: Timeline,
  index: LegIndex,
  opts: { now: number; t: Thresholds }
): Incident {
  const { members } = cluster;
  const failing = [...new Set(members.map((m) => m.leg))];
  const reasons = [...new Set(members.map((m) => m.reason))];
  const kind: FaultKind = members.some((m) => m.kind === 'stall') ? 'stall' : 'break';
  const seen = members.map((m) => faultSeen(m, legByName(topology, m.leg), opts.now));
  const minFaultMs = Math.max(0, ...seen.map((s) => s.end - s.start));
  const first = members[0] as Outage;
  const id = `${first.detectedAt}-${first.leg}`;
  const failedEvidence: LegEvidence[] = failing.map((leg) => {
    const own = members.filter((m) => m.leg === leg);
    return {
      leg,
      role: 'failed',
      reasons: [...new Set(own.map((m) => m.reason))],
      note: `dropped (${own.map((m) => m.reason).join(', ')})`,
    };
  });

  const window: Interval = {
    start: Math.min(...members.map((m) => m.start)) - opts.t.slackMs,
    end: Math.max(...members.map((m) => m.detectedAt)) + opts.t.slackMs,
  };
  const stall = timeline.probeStalls.find((s) => overlaps(s, window));
  let suspects: SegmentId[];
  let evidence: LegEvidence[];
  if (stall) {
    suspects = [PROBE_SEGMENT.id];
    evidence = [
      ...failedEvidence,
      ...topology.legs
        .filter((l) => !failing.includes(l.name))
        .map((l) => ({ leg: l.name, role: 'blind' as const, reasons: [], note: 'the probe itself was stalled' })),
    ];
  } else {
    const healthy = topology.legs.filter((l) => !failing.includes(l.name));
    const judged = healthy.map((l) => judgeHealthyLeg(l, cluster, kind, minFaultMs, seen, timeline, index, opts));
    evidence = [...failedEvidence, ...judged];
    suspects = suspectsOf(topology, evidence);
  }

  return makeIncident(
    {
      id,
      start: Math.min(...members.map((m) => m.start)),
      end: cluster.end,
      legs: failing,
      reasons,
      kind,
      suspects,
      minFaultMs,
      evidence,
    },
    topology
  );
}

/** Incidents (closed and still open) from a probe's event stream. */
export function buildIncidents(events: readonly ProbeEvent[], topology: Topology, opts: IncidentOptions): Incident[] {
  return incidentsFromTimeline(
    readTimeline(events),
    normalizeTopology(topology),
    opts.now,
    withDefaults(opts.thresholds)
  );
}

/** For callers that already hold a timeline and a normalised topology. */
export function incidentsFromTimeline(timeline: Timeline, topology: Topology, now: number, t: Thresholds): Incident[] {
  const known = new Set(topology.legs.map((l) => l.name));
  const outages = timeline.outages.filter((o) => known.has(o.leg));
  // A refusal of the probe's own credentials or version is no evidence about the path: such outages never
  // join a path fault's cluster (they still keep their leg from clearing anything while they last).
  const pathOutages = outages.filter((o) => o.kind !== 'config');
  const index: LegIndex = { outages: groupByLeg(outages), heartbeats: groupByLeg(timeline.heartbeats) };
  const hard = clusterOutages(pathOutages, topology, t.slackMs).map((members) =>
    attributeCluster(clusterOf(members), topology, timeline, index, { now, t })
  );
  const config = overlapping(
    outages.filter((o) => o.kind === 'config'),
    now
  ).map((members) => configIncident(clusterOf(members), topology, now));
  return [...hard, ...config, ...softIncidents(timeline, topology, hard, now, t)].sort((a, b) => a.start - b.start);
}

/**
 * Refusals have no common moment of fault to cluster on (each leg learns of a revoked token when it next
 * asks): refusals that overlap in time are one mistake of the probe's config.
 */
function overlapping(outages: readonly Outage[], now: number): Outage[][] {
  const groups: Array<{ end: number; members: Outage[] }> = [];
  for (const o of [...outages].sort((a, b) => a.start - b.start)) {
    const last = groups[groups.length - 1];
    const end = o.end ?? now;
    if (last && o.start <= last.end) {
      last.members.push(o);
      last.end = Math.max(last.end, end);
    } else {
      groups.push({ end, members: [o] });
    }
  }
  return groups.map((g) => g.members);
}

function clusterOf(members: Outage[]): Cluster {
  const open = members.some((m) => m.end === null);
  return {
    members,
    start: Math.min(...members.map((m) => m.start)),
    end: open ? null : Math.max(...members.map((m) => m.end as number)),
  };
}

/**
 * Legs the server refused (credentials, protocol version): the probe's own configuration is at fault and
 * no path segment is blamed. The legs watched nothing meanwhile, which the window's verdict says.
 */
function configIncident(cluster: Cluster, topology: Topology, now: number): Incident {
  const { members } = cluster;
  const first = members[0] as Outage;
  return makeIncident(
    {
      id: `${first.detectedAt}-${first.leg}-config`,
      start: cluster.start,
      end: cluster.end,
      legs: [...new Set(members.map((m) => m.leg))],
      reasons: [...new Set(members.map((m) => m.reason))],
      kind: 'config',
      suspects: [PROBE_SEGMENT.id],
      minFaultMs: Math.max(0, ...members.map((m) => (m.end ?? now) - m.detectedAt)),
      evidence: members.map((m) => ({ leg: m.leg, role: 'failed', reasons: [m.reason], note: refusalNote(m.reason) })),
    },
    topology
  );
}

/**
 * Stalls shorter than every watchdog: no leg dropped, but round trips slowed past the stall threshold.
 * The runbook's "t3serve RTT spikes" row; a user whose client has a shorter watchdog may still have dropped.
 */
function softIncidents(
  timeline: Timeline,
  topology: Topology,
  hard: readonly Incident[],
  now: number,
  t: Thresholds
): Incident[] {
  const slow = timeline.heartbeats
    .filter((h) => h.rttMs !== null && h.rttMs >= t.rttStallMs)
    .filter((h) => legByName(topology, h.leg))
    .filter((h) => !hard.some((i) => h.time >= i.start - t.slackMs && h.time <= (i.end ?? now) + t.slackMs))
    .sort((a, b) => a.time - b.time);
  const groups: HeartbeatEvent[][] = [];
  for (const h of slow) {
    const last = groups[groups.length - 1];
    const tail = last?.[last.length - 1];
    if (last && tail && h.time <= tail.time + (tail.rttMs ?? 0) + t.slackMs) {
      last.push(h);
    } else {
      groups.push([h]);
    }
  }
  return groups.map((group) => {
    const first = group[0] as HeartbeatEvent;
    const start = first.time;
    const end = Math.max(...group.map((h) => h.time + (h.rttMs ?? 0)));
    const legs = [...new Set(group.map((h) => h.leg))];
    const longest = Math.max(...group.map((h) => h.rttMs ?? 0));
    // A stall of length L delays some round trip of every leg through it by at least L − interval.
    const evidence: LegEvidence[] = legs.map((leg) => ({
      leg,
      role: 'failed' as const,
      reasons: [],
      note: `round trips slowed to ${formatDuration(longest)} without dropping`,
    }));
    for (const leg of topology.legs.filter((l) => !legs.includes(l.name))) {
      const sure = longest - leg.intervalMs >= t.rttStallMs && covered(timeline.runs, leg.name, start, end, now);
      evidence.push({
        leg: leg.name,
        role: sure ? 'clear' : 'blind',
        reasons: [],
        note: sure
          ? 'its round trips stayed fast through the slowdown'
          : 'too few round trips to rule the slowdown in or out',
      });
    }
    // Round trips measured by a frozen probe look slow too: then only the probe is to blame.
    const probeStalled = timeline.probeStalls.some((s) => overlaps(s, { start, end }, t.slackMs));
    const suspects = probeStalled ? [PROBE_SEGMENT.id] : suspectsOf(topology, evidence, { orEveryUncleared: false });
    return makeIncident(
      {
        id: `${start}-${first.leg}-slow`,
        start,
        end,
        legs,
        reasons: [],
        kind: 'stall',
        suspects,
        minFaultMs: longest,
        evidence,
      },
      topology
    );
  });
}

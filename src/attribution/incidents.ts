import { clusterOutages, overlapping, type Cluster } from './clustering';
import { faultSeen } from './fault-timing';
import { indexByLeg, judgeHealthyLeg, type LegIndex } from './judging';
import { legByName, normalizeTopology, PROBE_SEGMENT } from './topology';
import { overlaps, readTimeline, type Interval, type Timeline } from './timeline';
import { withDefaults } from './thresholds';
import { makeEvidence, makeIncident } from './records';
import { suspectsOf } from './suspects';
import { configIncident } from './refusal-incidents';
import { slowRoundTripIncidents } from './slow-round-trips';
import type { FaultKind, Incident, LegEvidence, Outage, ProbeEvent, SegmentId, Thresholds, Topology } from './types';

interface IncidentOptions {
  now: number;
  thresholds?: Partial<Thresholds>;
}

/**
 * A path fault's incident: what the failing legs saw, how each healthy leg is judged (judging.ts), and the
 * suspects that leaves (suspects.ts); while the probe itself stalled, only `probe` is to blame.
 */
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
  // A cluster holds at most one outage per leg (clustering.ts).
  const failedEvidence: LegEvidence[] = failing.map((leg) =>
    makeEvidence({
      leg,
      role: 'failed',
      reasons: [...new Set(members.filter((m) => m.leg === leg).map((m) => m.reason))],
      why: { code: 'dropped' },
    })
  );

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
        .map((l) => makeEvidence({ leg: l.name, role: 'blind', reasons: [], why: { code: 'probe_stalled' } })),
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
  const index = indexByLeg(outages, timeline.heartbeats);
  const hard = clusterOutages(pathOutages, topology, t.slackMs).map((cluster) =>
    attributeCluster(cluster, topology, timeline, index, { now, t })
  );
  const config = overlapping(
    outages.filter((o) => o.kind === 'config'),
    now
  ).map((cluster) => configIncident(cluster, topology, now));
  return [...hard, ...config, ...slowRoundTripIncidents(timeline, topology, hard, now, t)].sort(
    (a, b) => a.start - b.start
  );
}

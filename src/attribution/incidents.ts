import { clusterOf, clusterOutages, overlapping, type Cluster } from './clustering';
import { explainEveryLeg } from './explaining';
import { faultSeen } from './fault-timing';
import { indexByLeg, judgeHealthyLeg, type LegIndex } from './judging';
import { inPathOrder, legByName, normalizeTopology, peerOfLeg, probeSegmentOf } from './topology';
import { overlaps, readTimeline, stallsOf, type Interval, type Timeline } from './timeline';
import { withDefaults } from './thresholds';
import { makeEvidence, makeIncident } from './records';
import { suspectsOf } from './suspects';
import { configIncident } from './refusal-incidents';
import { slowRoundTripIncidents } from './slow-round-trips';
import type {
  FaultKind,
  Incident,
  Leg,
  LegEvidence,
  Outage,
  ProbeEvent,
  SegmentId,
  Thresholds,
  Topology,
} from './types';

interface IncidentOptions {
  now: number;
  thresholds?: Partial<Thresholds>;
}

/**
 * A path fault's incident: what the failing legs saw, how each healthy leg is judged (judging.ts), and the
 * suspects that leaves (suspects.ts); a leg whose probe stalled meanwhile blames only that probe's host.
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
  // A probe that froze meanwhile explains its own legs' failures: they blame its host and nothing else.
  const frozen = (leg: Leg): boolean => stallsOf(timeline, leg).some((s) => overlaps(s, window));
  const legsOf = (names: readonly string[]): Leg[] => names.flatMap((n) => legByName(topology, n) ?? []);
  const explained = legsOf(failing).filter(frozen);
  const stalledHosts = [...new Set(explained.map(probeSegmentOf))];
  const rest = failing.filter((leg) => !explained.some((l) => l.name === leg));
  const healthy = topology.legs.filter((l) => !failing.includes(l.name));
  const judged = healthy.map((l) =>
    frozen(l)
      ? makeEvidence({
          leg: l.name,
          role: 'blind',
          reasons: [],
          why: { code: 'probe_stalled', ...(l.probe === undefined ? {} : { probe: l.probe }) },
        })
      : judgeHealthyLeg(l, cluster, kind, minFaultMs, seen, timeline, index, opts)
  );
  const evidence: LegEvidence[] = [...failedEvidence, ...judged];
  const pathSuspects =
    rest.length === 0
      ? []
      : suspectsOf(
          topology,
          evidence.filter((e) => e.role !== 'failed' || rest.includes(e.leg))
        );
  const suspects: SegmentId[] = inPathOrder(topology, [...pathSuspects, ...stalledHosts]);

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
  const normal = normalizeTopology(topology);
  return incidentsFromTimeline(
    readTimeline(events, peerOfLeg(normal)),
    normal,
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
  // Each leg of a cluster failed once (clustering.ts): a group of its legs is a cluster of their outages.
  const hard = clusterOutages(pathOutages, topology, t.slackMs).flatMap((cluster) =>
    explainEveryLeg(topology, [...new Set(cluster.members.map((m) => m.leg))], (legs) =>
      attributeCluster(clusterOf(cluster.members.filter((m) => legs.includes(m.leg))), topology, timeline, index, {
        now,
        t,
      })
    )
  );
  const config = overlapping(
    outages.filter((o) => o.kind === 'config'),
    now
  ).map((cluster) => configIncident(cluster, topology, now));
  return [...hard, ...config, ...slowRoundTripIncidents(timeline, topology, hard, index, { now, t })].sort(
    (a, b) => a.start - b.start
  );
}

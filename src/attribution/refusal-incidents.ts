import { inPathOrder, legByName, PROBE_SEGMENT, probeSegmentOf } from './topology';
import { makeEvidence, makeIncident } from './records';
import type { Cluster } from './clustering';
import { faultKindOf } from './reasons';
import type { Incident, LegEvidence, Outage, Reason, Topology, WindowLegSummary } from './types';

/**
 * Legs the server refused (credentials, protocol version): the probe's own configuration is at fault and
 * no path segment is blamed. The legs watched nothing meanwhile, which the window's verdict says.
 */
export function configIncident(cluster: Cluster, topology: Topology, now: number): Incident {
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
      // The refused probe's own host: this probe's, or the peer's whose legs were refused.
      suspects: inPathOrder(
        topology,
        members.map((m) => probeSegmentOf(legByName(topology, m.leg) ?? {}))
      ),
      minFaultMs: Math.max(0, ...members.map((m) => (m.end ?? now) - m.detectedAt)),
      evidence: members.map((m) =>
        makeEvidence({ leg: m.leg, role: 'failed', reasons: [m.reason], why: { code: 'refused' } })
      ),
    },
    topology
  );
}

/**
 * The legs a server refused in a range, from Prometheus (their summaries, drops by reason), as one
 * incident of the probe's own configuration.
 */
export function rangeRefusalIncident(
  refused: readonly WindowLegSummary[],
  topology: Topology,
  range: { from: number; to: number }
): Incident {
  const evidence: LegEvidence[] = refused.map((l) => {
    // Refused since before the range (the gauge, no counted drop): the gauge does not say which refusal,
    // so no reason is named rather than a guessed one.
    const reasons = (Object.keys(l.drops) as Reason[]).filter((r) => faultKindOf(r) === 'config');
    return makeEvidence({ leg: l.leg, role: 'failed', reasons, why: { code: 'refused' } });
  });
  return makeIncident(
    {
      id: `range-${range.from}-${range.to}-config`,
      start: range.from,
      end: range.to,
      legs: refused.map((l) => l.leg),
      reasons: [...new Set(evidence.flatMap((e) => e.reasons))],
      kind: 'config',
      suspects: [PROBE_SEGMENT.id],
      minFaultMs: 0,
      evidence,
    },
    topology
  );
}

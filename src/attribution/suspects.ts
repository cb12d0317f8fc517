import { inPathOrder, isProbeHost, segmentsOf } from './topology';
import type { LegEvidence, SegmentId, Topology } from './types';

/**
 * The suspect rule, from an incident's evidence: the segments every failing leg traverses, less those a
 * clear leg cleared (and less the probes' own hosts, which only a probe's own stall blames). When no single
 * uncleared segment explains every failing leg (faults at once were split before, explaining.ts: this is
 * contradicting evidence), the suspects are every uncleared segment of the failing legs rather than none: the
 * engine never blames nothing — except for slow round trips (`orEveryUncleared: false`), soft evidence that
 * blames nothing it cannot pin down.
 */
export function suspectsOf(
  topology: Topology,
  evidence: readonly LegEvidence[],
  { orEveryUncleared = true }: { orEveryUncleared?: boolean } = {}
): SegmentId[] {
  const cleared = new Set<SegmentId>(topology.segments.map((s) => s.id).filter(isProbeHost));
  for (const e of evidence.filter((x) => x.role === 'clear')) {
    segmentsOf(topology, e.leg).forEach((s) => cleared.add(s));
  }
  const failing = evidence.filter((e) => e.role === 'failed').map((e) => segmentsOf(topology, e.leg));
  if (failing.length === 0) {
    return [];
  }
  const shared = failing.reduce((acc, s) => acc.filter((id) => s.includes(id)));
  let suspects = shared.filter((id) => !cleared.has(id));
  if (suspects.length === 0 && orEveryUncleared) {
    suspects = [...new Set(failing.flat())].filter((id) => !cleared.has(id));
  }
  return inPathOrder(topology, suspects);
}

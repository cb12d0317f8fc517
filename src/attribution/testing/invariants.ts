/** The rules every incident keeps, whatever the faults: checked by the model's and the property tests. */
import { segmentsOf } from '../topology';
import type { Incident, SegmentId, Topology } from '../types';

/** Failing legs with no suspect on their own path: the rule is that there are none. */
export function unexplainedLegs(incident: Incident, topology: Topology): string[] {
  return incident.evidence
    .filter((e) => e.role === 'failed')
    .map((e) => e.leg)
    .filter((leg) => !incident.suspects.some((s) => segmentsOf(topology, leg).includes(s)));
}

/** Suspects on the path of a leg the incident's own evidence calls clear: the rule is that there are none. */
export function clearedSuspects(incident: Incident, topology: Topology): SegmentId[] {
  const cleared = incident.evidence.filter((e) => e.role === 'clear').flatMap((e) => segmentsOf(topology, e.leg));
  return incident.suspects.filter((s) => cleared.includes(s));
}

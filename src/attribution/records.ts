import { incidentSummary } from './wording';
import type { Incident, Topology } from './types';

/** An incident, complete: its summary is said from its data (wording.ts), never patched in afterwards. */
export function makeIncident(fields: Omit<Incident, 'summary'>, topology: Topology): Incident {
  return { ...fields, summary: incidentSummary(fields, topology) };
}

import { evidenceNote, incidentSummary, legSummaryNote } from './wording';
import type { Incident, LegEvidence, LegSummaryWhy, Topology, WindowLegSummary } from './types';

/**
 * The engine's output records, each built complete in one place: its words are said from its data
 * (wording.ts), never written inline or patched in afterwards.
 */

export function makeIncident(fields: Omit<Incident, 'summary'>, topology: Topology): Incident {
  return { ...fields, summary: incidentSummary(fields, topology) };
}

export function makeEvidence(fields: Omit<LegEvidence, 'note'>): LegEvidence {
  return { ...fields, note: evidenceNote(fields) };
}

/** Why a leg has no data, when the probe knows: it stalled itself, or a server refused its config. */
function noDataCauseOf(why: LegSummaryWhy): WindowLegSummary['noDataCause'] {
  return why.code === 'probe_stalled' ? 'probe_stall' : why.code === 'refused' ? 'probe_config' : undefined;
}

export function makeLegSummary(fields: Omit<WindowLegSummary, 'note' | 'noDataCause'>): WindowLegSummary {
  const cause = noDataCauseOf(fields.why);
  return { ...fields, ...(cause ? { noDataCause: cause } : {}), note: legSummaryNote(fields.why) };
}

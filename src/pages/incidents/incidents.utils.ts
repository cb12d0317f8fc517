import type { Incident } from '../../attribution/types';
import { triageHref } from '../../shared/triageLink';

interface IncidentFilter {
  leg: string | null;
  suspect: string | null;
}

/** Newest first, only those the leg took part in and that blame the suspect. */
export function filterIncidents(incidents: readonly Incident[], f: IncidentFilter): Incident[] {
  return incidents
    .filter((i) => (!f.leg || i.legs.includes(f.leg)) && (!f.suspect || i.suspects.includes(f.suspect)))
    .sort((a, b) => b.start - a.start);
}

/** A minute of context either side, so the triage page shows the legs before and after. */
const MARGIN_MS = 60_000;

export function incidentTriageHref(
  incident: Incident,
  now: number,
  leg: string | null,
  user: string | null = null
): string {
  return triageHref({
    from: incident.start - MARGIN_MS,
    to: (incident.end ?? now) + MARGIN_MS,
    leg: leg ?? undefined,
    user: user ?? undefined,
  });
}

import type { Decoder } from '../context';
import { lastCount } from '../values';

/** "incidents": the probe's own attributions, incidents per suspect segment of the topology. */
export const incidents: Decoder = (series, c) => {
  if (series.length === 0) {
    c.missing.push({ code: 'incidents_no_series', refId: 'incidents' });
    return;
  }
  const bySuspect: Record<string, number> = {};
  const segments = new Set(c.topology.segments.map((seg) => seg.id));
  for (const s of series) {
    const suspect = s.labels.suspect;
    if (typeof suspect !== 'string') {
      c.warnings.push({ code: 'suspect_label_absent', refId: 'incidents' });
      continue;
    }
    const v = lastCount(s, 'incidents', { suspect }, c);
    if (v !== null && !segments.has(suspect)) {
      c.warnings.push({ code: 'suspect_not_in_topology', refId: 'incidents', suspect });
      continue;
    }
    if (v !== null) {
      bySuspect[suspect] = (bySuspect[suspect] ?? 0) + v;
    }
  }
  c.draft.incidentsBySuspect = bySuspect;
};

import type { Decoder } from '../context';

/** "probe_up": whether Prometheus scraped the probe for the whole range (every value 1). */
export const probeUp: Decoder = (series, c) => {
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (values.length === 0) {
    c.missing.push({ code: 'probe_never_scraped', refId: 'probe_up' });
    return;
  }
  c.draft.probeUp = values.every((v) => v >= 1);
  if (!c.draft.probeUp) {
    c.missing.push({ code: 'probe_partly_scraped', refId: 'probe_up' });
  }
};

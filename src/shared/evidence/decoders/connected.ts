import { perLeg } from '../perLeg';
import { lastFinite } from '../values';

/** "connected": the leg's state now (the lowest of its series' last values) and the lowest over the range. */
export const connected = perLeg('connected', (leg, name, series, c) => {
  let now: number | null = null;
  let min: number | null = null;
  for (const s of series) {
    const last = lastFinite(s.values);
    if (last !== null) {
      now = now === null ? last : Math.min(now, last);
    }
    for (const v of s.values) {
      if (v !== null && Number.isFinite(v)) {
        min = min === null ? v : Math.min(min, v);
      }
    }
  }
  if (now === null) {
    c.missing.push({ code: 'connected_no_values', refId: 'connected', leg: name });
  }
  leg.connectedNow = now === null ? null : now >= 0.5;
  leg.connectedMin = min;
});

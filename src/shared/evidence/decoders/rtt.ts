import { perLeg } from '../perLeg';
import { lastFinite, noteGarbage } from '../values';

/** "rtt": the leg's heartbeat round-trip p99, seconds to milliseconds; the worst of its series. */
export const rtt = perLeg('rtt', (leg, name, series, c) => {
  let p99: number | null = null;
  for (const s of series) {
    const raw = s.values.at(-1) ?? null;
    // +Inf: the p99 fell in the histogram's top bucket, a real (and severe) stall sign, kept as is.
    const v = raw === Infinity ? Infinity : lastFinite(s.values);
    if (v === null) {
      continue;
    }
    if (v < 0) {
      noteGarbage('rtt', { leg: name }, v, c);
      continue;
    }
    p99 = p99 === null ? v * 1000 : Math.max(p99, v * 1000);
  }
  if (p99 === null) {
    c.missing.push({ code: 'rtt_not_measured', refId: 'rtt', leg: name });
  }
  leg.rttP99Ms = p99;
});

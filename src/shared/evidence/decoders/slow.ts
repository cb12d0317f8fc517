import { perLeg } from '../perLeg';
import { lastCount } from '../values';

/** "slow": round trips slower than 2.5 s per leg, summed over its series. */
export const slow = perLeg('slow', (leg, name, series, c) => {
  let total: number | null = null;
  for (const s of series) {
    const v = lastCount(s, 'slow', { leg: name }, c);
    if (v !== null) {
      total = (total ?? 0) + v;
    }
  }
  leg.slowSamples = total;
});

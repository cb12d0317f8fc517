import { ALL_REASONS } from '../../../attribution';
import type { Reason } from '../../../attribution/types';
import { perLeg } from '../perLeg';
import { lastCount } from '../values';

const REASONS: ReadonlySet<string> = new Set(ALL_REASONS);

/** "drops": disconnects per leg and reason; a reason the engine does not know counts as "error". */
export const drops = perLeg('drops', (leg, name, series, c) => {
  const counts: Partial<Record<Reason, number>> = {};
  for (const s of series) {
    const v = lastCount(s, 'drops', { leg: name, reason: s.labels.reason ?? '?' }, c);
    if (v === null) {
      continue;
    }
    let reason = s.labels.reason ?? 'error';
    if (!REASONS.has(reason)) {
      c.warnings.push({ code: 'reason_unknown', refId: 'drops', leg: name, reason });
      reason = 'error';
    }
    const r = reason as Reason;
    counts[r] = (counts[r] ?? 0) + v;
  }
  leg.drops = counts;
});

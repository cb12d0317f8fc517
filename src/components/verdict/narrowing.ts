import { ATTRIBUTION_TABLE } from '../../attribution';
import type { Verdict } from '../../attribution/types';

/**
 * What the legs narrowed the matching runbook row to, in words: legs that share less than the runbook's
 * three (the finer legs) name fewer segments than the row does. Null when the suspects are the row's own
 * segments, or not all of them its own (a user's instance, say), or no row matched.
 */
export function narrowingText(verdict: Pick<Verdict, 'runbookRow' | 'suspects' | 'segments'>): string | null {
  const row = verdict.runbookRow === null ? undefined : ATTRIBUTION_TABLE[verdict.runbookRow];
  const { suspects } = verdict;
  if (!row || suspects.length === 0 || suspects.length >= row.segments.length) {
    return null;
  }
  if (!suspects.every((id) => row.segments.includes(id))) {
    return null;
  }
  const name = (id: string): string => verdict.segments.find((s) => s.id === id)?.name ?? id;
  return `The legs narrow it to ${suspects.map((id) => `${name(id)} (${id})`).join(' and ')}.`;
}

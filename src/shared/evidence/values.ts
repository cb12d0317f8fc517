import type { Series } from '../series';
import type { DecodeContext } from './context';
import type { WarningNote } from './notes';

/** Last finite value of a series (range queries: "now"; instant queries: the only one). */
export function lastFinite(values: ReadonlyArray<number | null>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      return v;
    }
  }
  return null;
}

/**
 * A value that cannot be what the query measures: not finite, or (for counter increases, rates and
 * quantiles) below zero. Named with its query, then treated as no data.
 */
function isGarbage(v: number): boolean {
  return !Number.isFinite(v) || v < 0;
}

/** Whose series a value is: its leg (and reason) or its suspect. */
type Subject = Pick<Extract<WarningNote, { code: 'garbage_value' }>, 'leg' | 'reason' | 'suspect'>;

export function noteGarbage(refId: string, subject: Subject, v: number | null, c: DecodeContext): void {
  if (v !== null && isGarbage(v)) {
    c.warnings.push({ code: 'garbage_value', refId, value: v, ...subject });
  }
}

/** Last usable value of a counter-increase series, noting garbage. */
export function lastCount(s: Series, refId: string, subject: Subject, c: DecodeContext): number | null {
  const v = lastFinite(s.values);
  if (v !== null && v < 0) {
    noteGarbage(refId, subject, v, c);
    return null;
  }
  noteGarbage(refId, subject, v === null ? (s.values.at(-1) ?? null) : null, c);
  return v;
}

/** The largest finite value over every series of a query (worst PSI), or null. */
export function maxOf(series: Series[], refId: string, c: DecodeContext): number | null {
  let max: number | null = null;
  for (const s of series) {
    for (const v of s.values) {
      if (v === null) {
        continue;
      }
      if (isGarbage(v)) {
        c.warnings.push({ code: 'garbage_in_series', refId, value: v });
        continue;
      }
      max = max === null ? v : Math.max(max, v);
    }
  }
  return max;
}

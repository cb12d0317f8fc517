/** Small statistics over samples (nearest-rank quantiles: every reported value is one that was measured). */

export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) {
    return Number.NaN;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

export function max(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : Math.max(...samples);
}

/** Milliseconds with a sensible number of decimals for a table cell. */
export function ms(value: number, digits = 0): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';
}

/**
 * The smallest histogram bucket bound (`le`) holding at least `q` of the observations counted between two
 * scrapes: an upper bound on the true quantile, as exact as the buckets allow.
 */
export function histogramQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) {
    return Number.NaN;
  }
  for (const le of bounds) {
    if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= q * total) {
      return le;
    }
  }
  return Infinity;
}

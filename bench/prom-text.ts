/** Reads histogram buckets out of the probe's /metrics text (the sums of single samples: stack.ts metricValue). */

/** `le` → cumulative count of `<name>_bucket` samples whose labels include every given pair (summed). */
export function buckets(text: string, name: string, labels: Record<string, string> = {}): Map<number, number> {
  const out = new Map<number, number>();
  const prefix = `${name}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix) || !Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
      continue;
    }
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le === undefined) {
      continue;
    }
    const bound = le === '+Inf' ? Infinity : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

/**
 * A small seeded PRNG (mulberry32) so "random" fault timings and fuzzed inputs repeat exactly: a failure
 * names its seed, and `HARDEN_SEED=<n>` replays it.
 */
export type Rng = () => number;

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from HARDEN_SEED, or `fallback` (fixed, so CI runs are reproducible). */
export function seedFromEnv(fallback: number): number {
  const raw = process.env.HARDEN_SEED;
  if (raw === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(raw)) {
    throw new Error(`HARDEN_SEED must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

export function int(r: Rng, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

export function pick<T>(r: Rng, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

/** Durations as people write them in config and URLs: `250ms`, `2s`, `1m`, `1h`, `1d`, or combined `1m30s`. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = /^(\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Parses a duration into milliseconds; throws an Error that quotes the bad value. */
export function parseDuration(input: string): number {
  if (typeof input !== 'string') {
    throw new Error(`${JSON.stringify(input)} is not a duration (use 250ms, 2s, 1m)`);
  }
  const text = input.trim();
  if (!WHOLE.test(text)) {
    throw new Error(`${JSON.stringify(input)} is not a duration (use 250ms, 2s, 1m)`);
  }
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) {
    throw new Error(`${JSON.stringify(input)} is too large`);
  }
  return Math.round(total);
}

/** The shortest readable form: `850ms`, `6.2s`, `2m 5s`, `3h 10m`, `2d 4h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    return 'unknown';
  }
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < 1_000) {
    return `${sign}${Math.round(abs)}ms`;
  }
  if (abs < 60_000) {
    const s = abs / 1_000;
    return `${sign}${s < 10 ? Number(s.toFixed(1)) : Math.round(s)}s`;
  }
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  const parts: string[] = [];
  let rest = Math.round(abs / 1_000) * 1_000;
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) {
      break;
    }
  }
  return sign + parts.join(' ');
}

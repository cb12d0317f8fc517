/**
 * Versions and the ranges plugin.json's `grafanaDependency` may hold. Grafana's plugin schema admits one
 * comparator or two separated by a space (both must hold), each `>=`, `>`, `<=`, `<`, `=` or none; the
 * `~` and `^` the schema also allows are refused here rather than guessed at.
 */

type Version = readonly [major: number, minor: number, patch: number];

export function parseVersion(text: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!match) {
    throw new Error(`"${text}" is not a major.minor.patch version`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const COMPARATOR = /^(>=|<=|>|<|=)?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;

function holds(version: Version, comparator: string): boolean {
  const match = COMPARATOR.exec(comparator);
  if (!match) {
    throw new Error(`range comparator "${comparator}" is not understood here`);
  }
  const bound: Version = [Number(match[2]), Number(match[3] ?? 0), Number(match[4] ?? 0)];
  const order = compareVersions(version, bound);
  switch (match[1]) {
    case '>=':
      return order >= 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '<':
      return order < 0;
    default:
      return order === 0;
  }
}

/** Whether `version` (e.g. "12.2.4") lies inside `range` (e.g. ">=12.3.0"). */
export function satisfies(version: string, range: string): boolean {
  const comparators = range.trim().split(/\s+/);
  const parsed = parseVersion(version);
  return comparators.every((comparator) => holds(parsed, comparator));
}

/**
 * A Prometheus sample value as a number. Prometheus writes values as strings with the special ones spelled
 * out ("NaN", "+Inf", "-Inf"); Grafana's frames hold numbers. Anything else (a blank or non-numeric
 * string, an object, a missing value) is null: a gap, never a guessed 0.
 */
export function promValue(v: unknown): number | null {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v !== 'string' || v.trim() === '') {
    return null;
  }
  if (v === '+Inf' || v === 'Inf') {
    return Infinity;
  }
  if (v === '-Inf') {
    return -Infinity;
  }
  const n = Number(v);
  return Number.isNaN(n) && v !== 'NaN' ? null : n;
}

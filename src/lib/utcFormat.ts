/** UTC renderings the runbook's shell commands expect. devvm's journal is read in UTC (runbook §2). */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS` in UTC: what `journalctl --since/--until` takes. */
export function journalTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** RFC 3339 in UTC with second precision, e.g. `2026-06-10T14:03:00Z`: what `kubectl logs --since-time` takes. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

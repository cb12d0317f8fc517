import type { Verdict } from '../../attribution/types';
import { triageHref } from '../../shared/triageLink';

/** Where the two verdicts part ways, in one sentence; null when they agree. */
export function disagreement(probe: Verdict, prometheus: Verdict): string | null {
  const a = probe.suspects.join(', ') || 'none';
  const b = prometheus.suspects.join(', ') || 'none';
  if (probe.verdict === prometheus.verdict && a === b) {
    return null;
  }
  return (
    `The probe's exact incidents say ${probe.verdict} (suspects: ${a}); Prometheus's aggregates say ${prometheus.verdict} (suspects: ${b}). ` +
    "The probe sees each outage's timing; Prometheus only counts over the whole window, so trust the probe when both have data."
  );
}

/** The link for a ticket: absolute, the exact window in ms, the leg, the user and the time zone it was read in. */
export function shareLink(
  origin: string,
  appSubUrl: string,
  window: { from: number; to: number; leg: string | null; user?: string | null },
  timeZone: string
): string {
  const href = triageHref({
    from: window.from,
    to: window.to,
    leg: window.leg ?? undefined,
    user: window.user ?? undefined,
  });
  const tz = timeZone && timeZone !== 'browser' ? `&tz=${encodeURIComponent(timeZone)}` : '';
  return `${origin}${appSubUrl}${href}${tz}`;
}

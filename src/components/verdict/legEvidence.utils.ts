import { formatDuration } from '../../attribution';
import type { Reason, WindowLegSummary } from '../../attribution/types';

/** "reset ×2, heartbeat_timeout ×1", most first; "none" when the leg reported and nothing dropped. */
export function formatDrops(drops: Partial<Record<Reason, number>>): string {
  const entries = Object.entries(drops).filter(([, n]) => (n ?? 0) > 0) as Array<[Reason, number]>;
  if (entries.length === 0) {
    return 'none';
  }
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${reason} ×${n}`)
    .join(', ');
}

function formatConnected(connected: boolean | null): string {
  return connected === null ? 'unknown' : connected ? 'connected' : 'down';
}

/** p99 of the heartbeat round trip; +Inf means above the histogram's top bucket. */
export function formatRtt(ms: number | null): string {
  if (ms === null) {
    return 'no data';
  }
  if (ms === Infinity) {
    return 'above the top bucket';
  }
  return formatDuration(ms);
}

export function legRowSummary(leg: WindowLegSummary): { drops: string; connected: string; rtt: string } {
  return {
    drops: leg.hasData ? formatDrops(leg.drops) : 'no data',
    connected: formatConnected(leg.connected),
    rtt: formatRtt(leg.rttP99Ms),
  };
}

/**
 * The attribution panel's Prometheus queries, keyed by refId. The refId is how the panel knows what a
 * query means, so the provisioned dashboard, the panel's defaults and the triage page all use this one
 * table. `$__range`, `$leg` and `$instance` are Grafana template variables.
 */
interface PanelQuery {
  refId: string;
  expr: string;
  /** instant: one value per series at the end of the range; range: a series over the dashboard range. */
  kind: 'instant' | 'range';
  /** What the panel makes of it. */
  role: string;
}

/**
 * The worst 5-minute rate of a devvm counter in the range. The subquery steps on whole minutes, so a range
 * holding none (under a minute) has no point in it: then the 5-minute rate at the range's end, which covers it.
 */
function worstFiveMinuteRate(counter: string): string {
  const rate = `rate(${counter}{instance="$instance"}[5m])`;
  return `max_over_time(${rate}[$__range:1m]) or ${rate}`;
}

const WORST_RATE_ROLE = 'worst 5-minute rate in the range, or at its end when it holds no whole minute (runbook §3).';

export const PANEL_QUERIES: readonly PanelQuery[] = [
  {
    refId: 'drops',
    expr: 'sum by (leg, reason) (increase(t3probe_disconnects_total[$__range]))',
    kind: 'instant',
    role: 'Disconnects per leg and reason over the range (runbook §1).',
  },
  {
    refId: 'connected',
    expr: 't3probe_connected',
    kind: 'range',
    role: 'Connected state per leg over the range: the last value is "now", the minimum says whether it ever dropped; a leg without a series has no data.',
  },
  {
    refId: 'rtt',
    expr: 'histogram_quantile(0.99, sum by (leg, le) (rate(t3probe_rtt_seconds_bucket[$__range])))',
    kind: 'instant',
    role: 'Heartbeat round-trip p99 per leg in seconds (runbook §1).',
  },
  {
    refId: 'slow',
    expr: 'sum by (leg) (increase(t3probe_rtt_seconds_count[$__range])) - sum by (leg) (increase(t3probe_rtt_seconds_bucket{le="2.5"}[$__range]))',
    kind: 'instant',
    role: 'Round trips slower than 2.5 s per leg: stall signs that stayed under the watchdog.',
  },
  {
    refId: 'misconfigured',
    expr: 'max by (leg) (max_over_time(t3probe_leg_misconfigured[$__range]))',
    kind: 'instant',
    role: "Whether a server refused the probe's own credentials or protocol version for the leg in the range: then the leg watched nothing, and no path segment is blamed for it.",
  },
  {
    refId: 'incidents',
    expr: 'max by (suspect) (increase(t3probe_incidents_total[$__range]))',
    kind: 'instant',
    role: "The probe's own exact attributions: incidents per suspect segment over the range.",
  },
  {
    refId: 'psi_io',
    expr: worstFiveMinuteRate('node_pressure_io_stalled_seconds_total'),
    kind: 'instant',
    role: `devvm IO full-stall rate, ${WORST_RATE_ROLE}`,
  },
  {
    refId: 'psi_memory',
    expr: worstFiveMinuteRate('node_pressure_memory_stalled_seconds_total'),
    kind: 'instant',
    role: `devvm memory full-stall rate, ${WORST_RATE_ROLE}`,
  },
  {
    refId: 'probe_up',
    expr: 'min_over_time(up{job="t3-probe"}[$__range])',
    kind: 'instant',
    role: 'Whether Prometheus could scrape the probe for the whole range; 0 or missing means partial data.',
  },
];

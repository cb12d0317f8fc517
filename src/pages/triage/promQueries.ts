import type { PromRequest } from '../../lib/api';
import { PANEL_QUERIES } from '../../shared/promql';

/** Grafana's `$__range` for a window, in whole seconds (at least one). */
export function rangeSeconds(from: number, to: number): number {
  return Math.max(1, Math.round((to - from) / 1000));
}

/** The expression with the dashboard's variables filled in the way Grafana would for this window. */
export function expandExpr(expr: string, vars: { from: number; to: number; instance: string }): string {
  // The instance label value sits inside double quotes in every query: escape what would end the string.
  const instance = vars.instance.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return expr.replaceAll('$__range', `${rangeSeconds(vars.from, vars.to)}s`).replaceAll('$instance', instance);
}

/**
 * The panel's queries for the triage window, as Grafana's Prometheus datasource would run them for a
 * dashboard set to that range: instant ones at the window's end, range ones over the window.
 */
export function panelRequests(window: { from: number; to: number }, instance: string): PromRequest[] {
  const range = rangeSeconds(window.from, window.to);
  // ~200 points over the window, never finer than the probe's 15 s scrape interval (nor coarser than the window).
  const stepSeconds = Math.min(range, Math.max(15, Math.ceil(range / 200)));
  const end = (window.to / 1000).toFixed(3);
  // Prometheus evaluates at start + k·step: align so the window's end is a point ("connected now").
  const start = ((window.to - Math.floor(range / stepSeconds) * stepSeconds * 1000) / 1000).toFixed(3);
  const step = `${stepSeconds}s`;
  return PANEL_QUERIES.map((q): PromRequest => {
    const query = expandExpr(q.expr, { ...window, instance });
    return q.kind === 'instant'
      ? { refId: q.refId, path: '/api/v1/query', params: { query, time: end } }
      : { refId: q.refId, path: '/api/v1/query_range', params: { query, start, end, step } };
  });
}

/** devvm pressure around the moment (runbook §3): PSI full rates and free swap over the window ± margin. */
export function pressureRequests(
  window: { from: number; to: number },
  instance: string,
  marginMs = 10 * 60_000
): PromRequest[] {
  const start = ((window.from - marginMs) / 1000).toFixed(3);
  const end = ((window.to + marginMs) / 1000).toFixed(3);
  const step = `${Math.max(15, Math.ceil((window.to - window.from + 2 * marginMs) / 1000 / 200))}s`;
  const sel = `{instance="${instance.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"}`;
  const q = (refId: string, query: string): PromRequest => ({
    refId,
    path: '/api/v1/query_range',
    params: { query, start, end, step },
  });
  return [
    q('io', `rate(node_pressure_io_stalled_seconds_total${sel}[1m])`),
    q('memory', `rate(node_pressure_memory_stalled_seconds_total${sel}[1m])`),
    q('swap_free', `node_memory_SwapFree_bytes${sel}`),
  ];
}

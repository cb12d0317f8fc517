/** Plugin ids, routes and default uids fixed by the design (shared/design.md: "Grafana plugin contract"). */
export const APP_ID = 't3-dropattribution-app';

export const APP_BASE_URL = `/a/${APP_ID}`;

export const ROUTES = {
  triage: 'triage',
  incidents: 'incidents',
  configuration: 'configuration',
} as const;

export const DEFAULT_PROMETHEUS_UID = 't3-prometheus';
export const DEFAULT_PROBE_UID = 't3-attribution';
export const DEFAULT_DEVVM_INSTANCE = 'devvm';

/** The triage window around a single `?time=` when no `from`/`to` is given: the moment ± this. */
export const DEFAULT_TRIAGE_HALF_WINDOW_MS = 5 * 60_000;
/** The triage window when the URL names no time at all (e.g. an alert link with only `?leg=`). */
export const DEFAULT_TRIAGE_LOOKBACK_MS = 60 * 60_000;

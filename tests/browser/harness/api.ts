/**
 * The contract between the Node side of the harness and the page: what `window.__t3` offers and the
 * serialisable shapes that cross `page.evaluate`. Types only, so both sides can import it.
 */
import type { DataFrameDTO, DataFrameJSON, DataQuery, FieldConfigSource, MetricFindValue } from '@grafana/data';

export type ThemeMode = 'dark' | 'light';

/** Unix milliseconds. */
export interface TimeRangeMs {
  from: number;
  to: number;
}

export interface RenderPanelInput {
  /** Frames as the Prometheus datasource returns them: each with its refId, fields with values arrays. */
  frames: DataFrameDTO[];
  /** Merged over the defaults the plugin's option builder declares, as Grafana does for a new panel. */
  options?: Record<string, unknown>;
  fieldConfig?: FieldConfigSource;
  theme: ThemeMode;
  width: number;
  height: number;
  timeRange: TimeRangeMs;
  title?: string;
}

export interface RenderResult {
  /** From handing the props to React to the committed DOM. */
  renderMs: number;
}

export interface PanelCallbacks {
  optionsChanges: unknown[];
  timeRangeChanges: TimeRangeMs[];
}

export interface QueryInput {
  targets: DataQuery[];
  range: TimeRangeMs;
}

export interface QueryOutput {
  state: string;
  data: DataFrameJSON[];
  errors: Array<{ message?: string; status?: number }>;
}

export interface AnnotationOutput {
  time: number;
  timeEnd?: number;
  title?: string;
  text?: string;
  tags?: string[];
}

export interface HarnessRequest {
  method: string;
  url: string;
  status: number;
}

export interface T3HarnessApi {
  /** Names registered as Grafana's shared modules: the emulated version's list. */
  sharedModules: string[];
  renderPanel(input: RenderPanelInput): Promise<RenderResult>;
  panelCallbacks: PanelCallbacks;
  /** Renders the app's root page at the page's current location, as Grafana's /a/<app id>/* route does. */
  renderApp(theme: ThemeMode): Promise<void>;
  query(uid: string, input: QueryInput): Promise<QueryOutput>;
  testDatasource(uid: string): Promise<{ status: string; message: string; details?: unknown }>;
  annotations(uid: string, annotation: Record<string, unknown>, range: TimeRangeMs): Promise<AnnotationOutput[]>;
  metricFindQuery(uid: string, query: unknown, range: TimeRangeMs): Promise<MetricFindValue[]>;
  /** Every request the plugin made through getBackendSrv(). */
  requests: HarnessRequest[];
}

declare global {
  interface Window {
    __t3: T3HarnessApi;
  }
}

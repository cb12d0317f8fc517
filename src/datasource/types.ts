import type { DataQuery, DataSourceJsonData } from '@grafana/data';

export const QUERY_TYPES = ['incidents', 'events', 'legs', 'attribution'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

export interface ProbeQuery extends DataQuery {
  queryType?: QueryType;
  /** Only this leg (incidents: those it took part in; events: its events). */
  leg?: string;
  /** Incidents only: only those with this suspect segment. */
  suspect?: string;
  /**
   * Incidents and attribution: one user's report (e.g. `$user`): that user's incidents and verdict, as the
   * probe's `user=` gives them. Empty or All: every user's.
   */
  user?: string;
}

export const DEFAULT_QUERY: Partial<ProbeQuery> = { queryType: 'incidents' };

export interface ProbeJsonData extends DataSourceJsonData {
  /** The probe's base URL, e.g. http://t3-probe:9464; Grafana's data proxy route "probe" targets it. */
  url?: string;
}

export interface ProbeSecureJsonData {
  apiToken?: string;
}

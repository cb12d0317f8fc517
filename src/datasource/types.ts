import type { DataQuery, DataSourceJsonData } from '@grafana/data';
import type { Incident, ProbeEvent, Reason, Segment, Leg } from '../attribution/types';

export const QUERY_TYPES = ['incidents', 'events', 'legs', 'attribution'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

export interface ProbeQuery extends DataQuery {
  queryType?: QueryType;
  /** Only this leg (incidents: those it took part in; events: its events). */
  leg?: string;
  /** Incidents only: only those with this suspect segment. */
  suspect?: string;
}

export const DEFAULT_QUERY: Partial<ProbeQuery> = { queryType: 'incidents' };

export interface ProbeJsonData extends DataSourceJsonData {
  /** The probe's base URL, e.g. http://t3-probe:9464; Grafana's data proxy route "probe" targets it. */
  url?: string;
}

export interface ProbeSecureJsonData {
  apiToken?: string;
}

/** `GET /api/v1/legs`. */
export interface LegNow {
  name: string;
  type: 'websocket' | 'http';
  segments: string[];
  connected: boolean;
  since: number | null;
  lastHeard: number | null;
  lastRttMs: number | null;
  lastReason: Reason | null;
}

export interface LegsAnswer {
  version: string;
  legs: LegNow[];
}

export interface EventsAnswer {
  events: ProbeEvent[];
  truncated?: boolean;
}

export interface IncidentsAnswer {
  incidents: Incident[];
  truncated?: boolean;
}

export interface TopologyAnswer {
  segments: Segment[];
  legs: Leg[];
}

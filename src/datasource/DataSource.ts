import {
  type AnnotationQuery,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { of } from 'rxjs';
import { annotationsFromFrames } from './annotations';
import { healthMessage } from './health';
import { readEvents, readIncidents, readLegs, readTopology, readVerdict } from '../shared/probe-api';
import { proxyGet } from '../shared/proxyGet';
import { chosenUser } from '../shared/user';
import { attributionFrames, eventsFrame, incidentsFrame, legsFrame } from './toFrames';
import { DEFAULT_QUERY, type ProbeJsonData, type ProbeQuery, QUERY_TYPES } from './types';

/** The data proxy route of plugin.json (`path: "probe"`): Grafana's server adds the URL and the token. */
const ROUTE = 'probe';

export class DataSource extends DataSourceApi<ProbeQuery, ProbeJsonData> {
  private readonly baseUrl: string;

  constructor(
    instanceSettings: DataSourceInstanceSettings<ProbeJsonData>,
    private readonly now: () => number = Date.now
  ) {
    super(instanceSettings);
    this.baseUrl = `${instanceSettings.url ?? ''}/${ROUTE}`;
  }

  override annotations = {
    prepareQuery: (anno: AnnotationQuery<ProbeQuery>): ProbeQuery => {
      const target = anno.target ?? ({} as Partial<ProbeQuery>);
      return { refId: 'Anno', ...target, queryType: 'incidents' };
    },
    processEvents: (_anno: AnnotationQuery<ProbeQuery>, frames: DataFrame[]) => of(annotationsFromFrames(frames)),
  };

  override getDefaultQuery(): Partial<ProbeQuery> {
    return DEFAULT_QUERY;
  }

  /** GET a probe API path through the data proxy; errors become one sentence (the probe's own text if any). */
  get(path: string, params: Record<string, string | number | undefined> = {}): Promise<unknown> {
    return proxyGet(this.baseUrl, path, params);
  }

  async query(request: DataQueryRequest<ProbeQuery>): Promise<DataQueryResponse> {
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const targets = request.targets.filter((t) => !t.hide);
    const results = await Promise.allSettled(targets.map((t) => this.runQuery(t, from, to, request.scopedVars)));
    const data: DataFrame[] = [];
    const errors: Array<{ refId: string; message: string }> = [];
    results.forEach((r, i) => {
      const refId = targets[i]?.refId ?? '?';
      if (r.status === 'fulfilled') {
        data.push(...r.value);
      } else {
        errors.push({ refId, message: (r.reason as Error).message });
      }
    });
    return errors.length > 0 ? { data, errors, error: errors[0] } : { data };
  }

  private async runQuery(q: ProbeQuery, from: number, to: number, scopedVars: ScopedVars): Promise<DataFrame[]> {
    const type = q.queryType ?? 'incidents';
    const refId = q.refId;
    const leg = q.leg ? interpolate(q.leg, scopedVars) : undefined;
    const suspect = q.suspect ? interpolate(q.suspect, scopedVars) : undefined;
    const user = chosenUser(q.user ? interpolate(q.user, scopedVars) : null) ?? undefined;
    switch (type) {
      case 'legs': {
        const answer = readLegs(await this.get('/api/v1/legs'));
        return [legsFrame({ ...answer, legs: answer.legs.filter((l) => !leg || l.name === leg) }, refId)];
      }
      case 'events': {
        const answer = readEvents(await this.get('/api/v1/events', { from, to, leg }));
        return [eventsFrame(answer.events, refId, answer.truncated)];
      }
      case 'incidents': {
        const answer = readIncidents(await this.get('/api/v1/incidents', { from, to, user }));
        const incidents = answer.incidents.filter(
          (i) => (!leg || i.legs.includes(leg)) && (!suspect || i.suspects.includes(suspect))
        );
        return [incidentsFrame(incidents, refId, this.now(), answer.truncated)];
      }
      case 'attribution':
        return attributionFrames(readVerdict(await this.get('/api/v1/attribution', { from, to, user })), refId);
      default:
        throw new Error(`unknown query type ${JSON.stringify(type)} (one of ${QUERY_TYPES.join(', ')})`);
    }
  }

  /** Variable queries: `legs`, `segments` or `users` (from the probe's topology). */
  override async metricFindQuery(query: string | { query?: string; queryType?: string }): Promise<MetricFindValue[]> {
    const what = (typeof query === 'string' ? query : (query.query ?? query.queryType ?? '')).trim();
    if (what !== 'legs' && what !== 'segments' && what !== 'users') {
      throw new Error(`variable query ${JSON.stringify(what)} is not "legs", "segments" or "users"`);
    }
    const topology = readTopology(await this.get('/api/v1/topology'));
    const names =
      what === 'legs'
        ? topology.legs.map((l) => l.name)
        : what === 'segments'
          ? topology.segments.map((s) => s.id)
          : // An older probe lists no users.
            (topology.users ?? []);
    return names.map((name) => ({ text: name, value: name }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const answer = readLegs(await this.get('/api/v1/legs'));
      return { status: 'success', message: healthMessage(answer) };
    } catch (err) {
      return { status: 'error', message: (err as Error).message };
    }
  }
}

/** Template variables in leg/suspect (e.g. `$leg`), replaced the way Grafana does for every datasource. */
function interpolate(value: string, scopedVars: ScopedVars): string {
  // getTemplateSrv() is unset outside Grafana (e.g. a datasource used on its own): take the value as is.
  const srv = getTemplateSrv() as ReturnType<typeof getTemplateSrv> | undefined;
  return srv ? srv.replace(value, scopedVars) : value;
}

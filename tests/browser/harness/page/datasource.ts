/**
 * Calls the datasource plugin's instance the way Grafana's query runner, annotation runner, variable
 * editor and "Save & test" button do, and turns the answers into plain JSON for the Node side.
 */
import {
  CoreApp,
  dataFrameToJSON,
  dateTime,
  getDefaultTimeRange,
  toDataFrame,
  type AnnotationQuery,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type TimeRange,
} from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { from, isObservable, lastValueFrom, type Observable } from 'rxjs';
import type { AnnotationOutput, QueryInput, QueryOutput, TimeRangeMs } from '../api';

let requestCounter = 0;

function toRange({ from: f, to }: TimeRangeMs): TimeRange {
  return { from: dateTime(f), to: dateTime(to), raw: { from: dateTime(f), to: dateTime(to) } };
}

function request(input: QueryInput): DataQueryRequest {
  const range = toRange(input.range);
  const intervalMs = Math.max(1000, Math.round((input.range.to - input.range.from) / 1000));
  return {
    requestId: `harness-${++requestCounter}`,
    app: CoreApp.Dashboard,
    range,
    rangeRaw: range.raw,
    interval: `${Math.round(intervalMs / 1000)}s`,
    intervalMs,
    maxDataPoints: 1000,
    scopedVars: {},
    targets: input.targets,
    timezone: 'utc',
    startTime: Date.now(),
  };
}

async function run(response: Promise<DataQueryResponse> | Observable<DataQueryResponse>): Promise<DataQueryResponse> {
  return lastValueFrom(isObservable(response) ? response : from(response));
}

export async function query(uid: string, input: QueryInput): Promise<QueryOutput> {
  const ds = await getDataSourceSrv().get(uid);
  const response = await run(ds.query(request(input)));
  const errors = [...(response.errors ?? []), ...(response.error ? [response.error] : [])];
  return {
    state: response.state ?? 'Done',
    data: (response.data as unknown[]).map((frame) => dataFrameToJSON(toDataFrame(frame))),
    errors: errors.map((e) => ({ message: e.message, status: e.status })),
  };
}

export async function testDatasource(uid: string) {
  const ds = await getDataSourceSrv().get(uid);
  return ds.testDatasource();
}

/** Grafana's default for frames without processEvents: fields named time, timeEnd, title, text, tags. */
function eventsFromFrames(frames: DataFrame[]): AnnotationOutput[] {
  return frames.flatMap((frame) =>
    Array.from({ length: frame.length }, (_, row) => {
      const value = (name: string) => frame.fields.find((f) => f.name === name)?.values[row];
      return {
        time: Number(value('time')),
        timeEnd: value('timeEnd') === undefined ? undefined : Number(value('timeEnd')),
        title: value('title') as string | undefined,
        text: value('text') as string | undefined,
        tags: value('tags') as string[] | undefined,
      };
    })
  );
}

/** Grafana's annotation flow for datasources with `annotations` support: prepare → query → processEvents. */
export async function annotations(
  uid: string,
  annotation: Record<string, unknown>,
  range: TimeRangeMs
): Promise<AnnotationOutput[]> {
  const ds = await getDataSourceSrv().get(uid);
  const support = ds.annotations;
  if (!support) {
    throw new Error(`datasource ${uid} declares no annotation support`);
  }
  const base = {
    enable: true,
    name: 'harness',
    iconColor: 'red',
    ...support.getDefaultQuery?.(),
    ...annotation,
  } as AnnotationQuery;
  const prepared = support.prepareAnnotation ? support.prepareAnnotation(base) : base;
  const target = support.prepareQuery ? support.prepareQuery(prepared) : (prepared.target as never);
  if (!target) {
    return [];
  }
  const response = await run(ds.query(request({ targets: [{ ...target, refId: 'Anno' }], range })));
  const frames = (response.data as unknown[]).map((frame) => toDataFrame(frame));
  if (!support.processEvents) {
    return eventsFromFrames(frames);
  }
  const events = await lastValueFrom(from(support.processEvents(prepared, frames) ?? Promise.resolve([])));
  return (events ?? []).map((e) => ({ time: e.time!, timeEnd: e.timeEnd, title: e.title, text: e.text, tags: e.tags }));
}

export async function metricFindQuery(uid: string, queryValue: unknown, range: TimeRangeMs) {
  const ds = await getDataSourceSrv().get(uid);
  if (!ds.metricFindQuery) {
    throw new Error(`datasource ${uid} has no metricFindQuery`);
  }
  return ds.metricFindQuery(queryValue, { range: range ? toRange(range) : getDefaultTimeRange() });
}

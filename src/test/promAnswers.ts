import type { FakeAnswer } from './backendSrv';

type Labels = Record<string, string>;

/** Prometheus `/api/v1/query` answer body (instant vector); values as Prometheus writes them (strings). */
export function vector(at: number, series: Array<[Labels, number | string]>): FakeAnswer {
  return {
    body: {
      status: 'success',
      data: { resultType: 'vector', result: series.map(([metric, v]) => ({ metric, value: [at / 1000, String(v)] })) },
    },
  };
}

/** Prometheus `/api/v1/query_range` answer body (matrix). */
export function matrix(start: number, stepMs: number, series: Array<[Labels, Array<number | string>]>): FakeAnswer {
  return {
    body: {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: series.map(([metric, vs]) => ({
          metric,
          values: vs.map((v, i) => [(start + i * stepMs) / 1000, String(v)]),
        })),
      },
    },
  };
}

export function promError(error: string, status = 400): FakeAnswer {
  return { status, body: { status: 'error', errorType: 'bad_data', error } };
}

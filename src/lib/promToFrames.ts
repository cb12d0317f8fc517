import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';
import { promValue } from '../shared/promValue';

type Sample = [number, string];

const isSample = (v: unknown): v is Sample => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number';

function frame(refId: string, labels: Record<string, string>, samples: Sample[]): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: samples.map((s) => Math.round(s[0] * 1000)) },
      { name: 'Value', type: FieldType.number, values: samples.map((s) => promValue(s[1])), labels },
    ],
  });
}

/**
 * A Prometheus HTTP API answer (`/api/v1/query` or `/query_range`) as the frames Grafana's Prometheus
 * datasource would give a panel: one frame per series, labels on the value field. A query that matched
 * nothing still yields an empty frame with its refId, as Grafana's does. An error answer throws its text.
 */
export function promAnswerToFrames(refId: string, body: unknown): DataFrame[] {
  const answer = body as {
    status?: string;
    error?: string;
    errorType?: string;
    data?: { resultType?: string; result?: unknown };
  };
  if (typeof answer !== 'object' || answer === null || answer.status !== 'success') {
    const why =
      answer && typeof answer === 'object' && answer.error
        ? `${answer.errorType ?? 'error'}: ${answer.error}`
        : 'not a Prometheus API answer';
    throw new Error(`Prometheus query "${refId}" failed: ${why}`);
  }
  const { resultType, result } = answer.data ?? {};
  if (resultType === 'scalar' && isSample(result)) {
    return [frame(refId, {}, [result])];
  }
  if ((resultType !== 'vector' && resultType !== 'matrix') || !Array.isArray(result)) {
    throw new Error(`Prometheus query "${refId}" gave an unexpected result type ${JSON.stringify(resultType)}`);
  }
  if (result.length === 0) {
    return [createDataFrame({ refId, fields: [] })];
  }
  return result.map((series: { metric?: Record<string, string>; value?: unknown; values?: unknown }) => {
    const samples = resultType === 'vector' ? [series.value] : series.values;
    const valid = Array.isArray(samples) ? samples.filter(isSample) : [];
    return frame(refId, series.metric ?? {}, valid);
  });
}

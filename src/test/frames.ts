import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';

/**
 * Frame factories shaped the way Grafana's Prometheus datasource answers: one frame per series, a `Time`
 * field and a number field carrying the series' labels, `refId` set to the query's.
 */
export function promSeries(
  refId: string,
  labels: Record<string, string>,
  values: Array<number | null>,
  start = 0,
  stepMs = 60_000
): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => start + i * stepMs) },
      { name: 'Value', type: FieldType.number, values, labels },
    ],
  });
}

/** An instant query's answer: one row. */
export function promInstant(refId: string, labels: Record<string, string>, value: number | null, at = 0): DataFrame {
  return promSeries(refId, labels, [value], at);
}

/** Grafana's "table" format for an instant query: labels as string columns, one row per series. */
export function promTable(refId: string, labelNames: string[], rows: Array<[...string[], number]>): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      ...labelNames.map((name, i) => ({ name, type: FieldType.string, values: rows.map((r) => r[i] as string) })),
      { name: 'Value', type: FieldType.number, values: rows.map((r) => r[r.length - 1] as number) },
    ],
  });
}

/** A query that ran and matched nothing: Grafana still returns a frame with the refId and no fields. */
export function emptyAnswer(refId: string): DataFrame {
  return createDataFrame({ refId, fields: [] });
}

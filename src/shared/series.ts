import { type DataFrame, FieldType } from '@grafana/data';
import { promValue } from './promValue';

/** One labelled series of a query, its values in row order (time order for range queries). */
export interface Series {
  labels: Record<string, string>;
  /** Raw values as they came: numbers, null for gaps, NaN/±Infinity as Prometheus sends them. */
  values: Array<number | null>;
}

/** Labels as strings only: a frame built by hand (or by a broken proxy) may hold anything there. */
function stringLabels(labels: unknown): Record<string, string> {
  if (typeof labels !== 'object' || labels === null) {
    return {};
  }
  return Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Every numeric series of the frames answering `refId`. Reads both shapes Grafana's Prometheus datasource
 * produces: time series (labels on the value field, one row per timestamp) and tables (labels as string
 * columns, one row per series).
 */
export function seriesFor(frames: readonly DataFrame[], refId: string): Series[] {
  const out: Series[] = [];
  for (const frame of frames) {
    if (frame.refId !== refId) {
      continue;
    }
    // Frames arrive from outside the plugin: a field without a values array holds no data, not a crash.
    const fields = (Array.isArray(frame.fields) ? frame.fields : []).filter((f) => Array.isArray(f?.values));
    const stringFields = fields.filter((f) => f.type === FieldType.string);
    const numberFields = fields.filter((f) => f.type === FieldType.number);
    for (const field of numberFields) {
      const fieldLabels = stringLabels(field.labels);
      if (stringFields.length === 0) {
        out.push({ labels: fieldLabels, values: field.values.map(promValue) });
        continue;
      }
      for (let row = 0; row < field.values.length; row++) {
        const labels = { ...fieldLabels };
        for (const s of stringFields) {
          const v: unknown = s.values[row];
          if (typeof v === 'string') {
            labels[s.name] = v;
          }
        }
        out.push({ labels, values: [promValue(field.values[row])] });
      }
    }
  }
  return out;
}

/** Whether any frame answers `refId` at all (an empty answer differs from a query that is not there). */
export function hasRefId(frames: readonly DataFrame[], refId: string): boolean {
  return frames.some((f) => f.refId === refId);
}

import { createDataFrame, type DataFrame, type FieldConfig, FieldType, type QueryResultMeta } from '@grafana/data';
import type { Incident, ProbeEvent, Verdict } from '../attribution/types';
import type { LegsRead } from '../shared/probe-api';

/** One field of a frame: its name, type and the value each row gives it. */
type Column<R> = [name: string, type: FieldType, value: (row: R) => unknown, config?: FieldConfig];

const MS: FieldConfig = { unit: 'ms' };

/** A frame of one row per item, its fields declared as columns. */
function rowsFrame<R>(
  refId: string,
  name: string,
  rows: readonly R[],
  columns: Array<Column<R>>,
  meta?: QueryResultMeta
): DataFrame {
  return createDataFrame({
    refId,
    name,
    ...(meta ? { meta } : {}),
    fields: columns.map(([field, type, value, config]) => ({
      name: field,
      type,
      values: rows.map(value),
      ...(config ? { config } : {}),
    })),
  });
}

const notice = (truncated: boolean | undefined, what: string): QueryResultMeta =>
  truncated
    ? {
        notices: [
          { severity: 'warning' as const, text: `The probe returned only the newest ${what}: narrow the time range.` },
        ],
      }
    : {};

/** Each leg's state now: one row per leg. */
export function legsFrame(answer: LegsRead, refId: string): DataFrame {
  return rowsFrame(
    refId,
    'legs',
    answer.legs,
    [
      ['leg', FieldType.string, (l) => l.name],
      ['type', FieldType.string, (l) => l.type],
      ['connected', FieldType.boolean, (l) => l.connected],
      ['since', FieldType.time, (l) => l.since],
      ['lastHeard', FieldType.time, (l) => l.lastHeard],
      ['lastRtt', FieldType.number, (l) => l.lastRttMs, MS],
      ['lastReason', FieldType.string, (l) => l.lastReason],
      ['segments', FieldType.string, (l) => l.segments.join(' → ')],
    ],
    { custom: { probeVersion: answer.version } }
  );
}

/** Probe events, one row each, oldest first. Fields a type lacks are null. */
export function eventsFrame(events: readonly ProbeEvent[], refId: string, truncated?: boolean): DataFrame {
  const pick =
    <K extends string>(key: K) =>
    (e: ProbeEvent): unknown =>
      key in e ? (e as unknown as Record<K, unknown>)[key] : null;
  return rowsFrame(
    refId,
    'events',
    [...events].sort((a, b) => a.time - b.time),
    [
      ['time', FieldType.time, (e) => e.time],
      ['leg', FieldType.string, pick('leg')],
      ['type', FieldType.string, (e) => e.type],
      ['reason', FieldType.string, pick('reason')],
      ['lastHeard', FieldType.time, pick('lastHeard')],
      ['rtt', FieldType.number, pick('rttMs'), MS],
      ['detail', FieldType.string, pick('detail')],
    ],
    notice(truncated, 'events')
  );
}

/** An incident's evidence in plain lines: "internal: clear — stayed up, and would have noticed…". */
function evidenceText(incident: Incident): string {
  return incident.evidence
    .map((e) => `${e.leg}: ${e.role}${e.reasons.length ? ` (${e.reasons.join(', ')})` : ''} — ${e.note}`)
    .join('\n');
}

function incidentTitle(incident: Incident): string {
  const open = incident.end === null ? ' (open, provisional)' : '';
  return `t3 drop${open}: ${incident.summary}`;
}

/**
 * Incidents, one row each, with the fields Grafana reads annotations from (`time`, `timeEnd`, `title`,
 * `text`, `tags`) and the incident's own columns. An open incident ends `now`.
 */
export function incidentsFrame(
  incidents: readonly Incident[],
  refId: string,
  now: number,
  truncated?: boolean
): DataFrame {
  return rowsFrame(
    refId,
    'incidents',
    [...incidents].sort((a, b) => a.start - b.start),
    [
      ['time', FieldType.time, (i) => i.start],
      ['timeEnd', FieldType.time, (i) => i.end ?? now],
      ['title', FieldType.string, incidentTitle],
      ['text', FieldType.string, evidenceText],
      ['tags', FieldType.other, (i) => [...i.legs, ...i.suspects]],
      ['id', FieldType.string, (i) => i.id],
      ['open', FieldType.boolean, (i) => i.end === null],
      ['kind', FieldType.string, (i) => i.kind],
      ['legs', FieldType.string, (i) => i.legs.join(', ')],
      ['suspects', FieldType.string, (i) => i.suspects.join(', ')],
      ['reasons', FieldType.string, (i) => i.reasons.join(', ')],
      ['minFault', FieldType.number, (i) => i.minFaultMs, MS],
    ],
    notice(truncated, 'incidents')
  );
}

/** The verdict for the range as three frames: the verdict line, each segment's state, each leg's evidence. */
export function attributionFrames(verdict: Verdict, refId: string): DataFrame[] {
  return [
    rowsFrame(
      refId,
      'verdict',
      [verdict],
      [
        ['verdict', FieldType.string, (v) => v.verdict],
        ['headline', FieldType.string, (v) => v.headline],
        ['suspects', FieldType.string, (v) => v.suspects.join(', ')],
        ['incidents', FieldType.number, (v) => v.incidents.length],
        ['hints', FieldType.string, (v) => v.hints.map((h) => h.text).join('\n')],
      ]
    ),
    rowsFrame(refId, 'segments', verdict.segments, [
      ['segment', FieldType.string, (s) => s.id],
      ['name', FieldType.string, (s) => s.name],
      ['state', FieldType.string, (s) => s.state],
    ]),
    rowsFrame(refId, 'legs', verdict.legs, [
      ['leg', FieldType.string, (l) => l.leg],
      ['hasData', FieldType.boolean, (l) => l.hasData],
      ['drops', FieldType.number, (l) => Object.values(l.drops).reduce<number>((a, b) => a + (b ?? 0), 0)],
      ['connected', FieldType.boolean, (l) => l.connected],
      ['note', FieldType.string, (l) => l.note],
    ]),
  ];
}

import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';
import type { Incident, ProbeEvent, Verdict } from '../attribution/types';
import type { LegsRead } from '../shared/probe-api';

const notice = (truncated: boolean | undefined, what: string) =>
  truncated
    ? {
        notices: [
          { severity: 'warning' as const, text: `The probe returned only the newest ${what}: narrow the time range.` },
        ],
      }
    : {};

/** Each leg's state now: one row per leg. */
export function legsFrame(answer: LegsRead, refId: string): DataFrame {
  const legs = answer.legs;
  return createDataFrame({
    refId,
    name: 'legs',
    meta: { custom: { probeVersion: answer.version } },
    fields: [
      { name: 'leg', type: FieldType.string, values: legs.map((l) => l.name) },
      { name: 'type', type: FieldType.string, values: legs.map((l) => l.type) },
      { name: 'connected', type: FieldType.boolean, values: legs.map((l) => l.connected) },
      { name: 'since', type: FieldType.time, values: legs.map((l) => l.since) },
      { name: 'lastHeard', type: FieldType.time, values: legs.map((l) => l.lastHeard) },
      { name: 'lastRtt', type: FieldType.number, values: legs.map((l) => l.lastRttMs), config: { unit: 'ms' } },
      { name: 'lastReason', type: FieldType.string, values: legs.map((l) => l.lastReason) },
      { name: 'segments', type: FieldType.string, values: legs.map((l) => l.segments.join(' → ')) },
    ],
  });
}

/** Probe events, one row each, oldest first. Fields a type lacks are null. */
export function eventsFrame(events: readonly ProbeEvent[], refId: string, truncated?: boolean): DataFrame {
  const sorted = [...events].sort((a, b) => a.time - b.time);
  const pick = <K extends string>(e: ProbeEvent, key: K): unknown =>
    key in e ? (e as unknown as Record<K, unknown>)[key] : null;
  return createDataFrame({
    refId,
    name: 'events',
    meta: notice(truncated, 'events'),
    fields: [
      { name: 'time', type: FieldType.time, values: sorted.map((e) => e.time) },
      { name: 'leg', type: FieldType.string, values: sorted.map((e) => pick(e, 'leg')) },
      { name: 'type', type: FieldType.string, values: sorted.map((e) => e.type) },
      { name: 'reason', type: FieldType.string, values: sorted.map((e) => pick(e, 'reason')) },
      { name: 'lastHeard', type: FieldType.time, values: sorted.map((e) => pick(e, 'lastHeard')) },
      { name: 'rtt', type: FieldType.number, values: sorted.map((e) => pick(e, 'rttMs')), config: { unit: 'ms' } },
      { name: 'detail', type: FieldType.string, values: sorted.map((e) => pick(e, 'detail')) },
    ],
  });
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
  const sorted = [...incidents].sort((a, b) => a.start - b.start);
  return createDataFrame({
    refId,
    name: 'incidents',
    meta: notice(truncated, 'incidents'),
    fields: [
      { name: 'time', type: FieldType.time, values: sorted.map((i) => i.start) },
      { name: 'timeEnd', type: FieldType.time, values: sorted.map((i) => i.end ?? now) },
      { name: 'title', type: FieldType.string, values: sorted.map(incidentTitle) },
      { name: 'text', type: FieldType.string, values: sorted.map(evidenceText) },
      { name: 'tags', type: FieldType.other, values: sorted.map((i) => [...i.legs, ...i.suspects]) },
      { name: 'id', type: FieldType.string, values: sorted.map((i) => i.id) },
      { name: 'open', type: FieldType.boolean, values: sorted.map((i) => i.end === null) },
      { name: 'kind', type: FieldType.string, values: sorted.map((i) => i.kind) },
      { name: 'legs', type: FieldType.string, values: sorted.map((i) => i.legs.join(', ')) },
      { name: 'suspects', type: FieldType.string, values: sorted.map((i) => i.suspects.join(', ')) },
      { name: 'reasons', type: FieldType.string, values: sorted.map((i) => i.reasons.join(', ')) },
      { name: 'minFault', type: FieldType.number, values: sorted.map((i) => i.minFaultMs), config: { unit: 'ms' } },
    ],
  });
}

/** The verdict for the range as three frames: the verdict line, each segment's state, each leg's evidence. */
export function attributionFrames(verdict: Verdict, refId: string): DataFrame[] {
  return [
    createDataFrame({
      refId,
      name: 'verdict',
      fields: [
        { name: 'verdict', type: FieldType.string, values: [verdict.verdict] },
        { name: 'headline', type: FieldType.string, values: [verdict.headline] },
        { name: 'suspects', type: FieldType.string, values: [verdict.suspects.join(', ')] },
        { name: 'incidents', type: FieldType.number, values: [verdict.incidents.length] },
        { name: 'hints', type: FieldType.string, values: [verdict.hints.map((h) => h.text).join('\n')] },
      ],
    }),
    createDataFrame({
      refId,
      name: 'segments',
      fields: [
        { name: 'segment', type: FieldType.string, values: verdict.segments.map((s) => s.id) },
        { name: 'name', type: FieldType.string, values: verdict.segments.map((s) => s.name) },
        { name: 'state', type: FieldType.string, values: verdict.segments.map((s) => s.state) },
      ],
    }),
    createDataFrame({
      refId,
      name: 'legs',
      fields: [
        { name: 'leg', type: FieldType.string, values: verdict.legs.map((l) => l.leg) },
        { name: 'hasData', type: FieldType.boolean, values: verdict.legs.map((l) => l.hasData) },
        {
          name: 'drops',
          type: FieldType.number,
          values: verdict.legs.map((l) => Object.values(l.drops).reduce<number>((a, b) => a + (b ?? 0), 0)),
        },
        { name: 'connected', type: FieldType.boolean, values: verdict.legs.map((l) => l.connected) },
        { name: 'note', type: FieldType.string, values: verdict.legs.map((l) => l.note) },
      ],
    }),
  ];
}

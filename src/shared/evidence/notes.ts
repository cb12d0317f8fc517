import { clip, quoteClipped } from '../clip';
import type { MissingItem } from '../missing';
import { PANEL_QUERIES } from '../promql';

/** Something the evidence had to do without, as data: the sentence is `missingText`'s. */
export type MissingNote =
  | { code: 'query_absent'; refId: string }
  /** A per-leg query answered, but not for this leg. */
  | { code: 'leg_absent'; refId: string; leg: string }
  | { code: 'connected_no_values'; refId: string; leg: string }
  | { code: 'rtt_not_measured'; refId: string; leg: string }
  | { code: 'incidents_no_series'; refId: string }
  | { code: 'pressure_no_data'; refId: string }
  | { code: 'probe_never_scraped'; refId: string }
  | { code: 'probe_partly_scraped'; refId: string };

/** Data that was there but unusable, as data: the sentence is `warningText`'s. */
export type WarningNote =
  | { code: 'leg_label_absent'; refId: string; count: number; labels: Record<string, string> }
  | { code: 'leg_not_in_topology'; refId: string; legs: string[] }
  /** A value of one series (named by its leg, reason or suspect) that a query cannot give. */
  | { code: 'garbage_value'; refId: string; value: number; leg?: string; reason?: string; suspect?: string }
  /** A value somewhere in a query's series (a gauge's or a rate's) that it cannot give. */
  | { code: 'garbage_in_series'; refId: string; value: number }
  | { code: 'reason_unknown'; refId: string; leg: string; reason: string }
  | { code: 'suspect_label_absent'; refId: string }
  | { code: 'suspect_not_in_topology'; refId: string; suspect: string }
  /** The count of a query's warnings past `WARNINGS_PER_QUERY`. */
  | { code: 'more'; refId: string; count: number };

/** What each per-leg query gives, for "no … for leg" sentences. */
const PER_LEG_WHAT: Record<string, string> = {
  drops: 'disconnect counts',
  connected: 'connected state',
  rtt: 'round-trip times',
  slow: 'slow round-trip count',
  misconfigured: 'misconfiguration gauge',
};

const role = (refId: string) => PANEL_QUERIES.find((q) => q.refId === refId)?.role ?? refId;

/** Labels come from anyone who can write a metric: messages quote at most this much of one. */
const QUOTE_MAX = 80;

/** A label value for a message, quoted and clipped. */
const quote = (value: string) => quoteClipped(value, QUOTE_MAX);

/** A label set for a message: at most ten labels, each clipped. */
function labelsText(labels: Record<string, string>): string {
  const clipped = Object.entries(labels)
    .slice(0, 10)
    .map(([k, v]) => [clip(k, QUOTE_MAX), clip(v, QUOTE_MAX)]);
  return JSON.stringify(Object.fromEntries(clipped));
}

/** At most this many unknown legs are named in one message; the rest are counted. */
const NAMED_MAX = 3;

function missingSentence(n: MissingNote): string {
  switch (n.code) {
    case 'query_absent':
      return `no query "${n.refId}" in the panel (${role(n.refId)})`;
    case 'leg_absent':
      return `no ${PER_LEG_WHAT[n.refId] ?? 'data'} for leg "${n.leg}" ("${n.refId}")`;
    case 'connected_no_values':
      return `leg "${n.leg}" has a "${n.refId}" series but no values in the range`;
    case 'rtt_not_measured':
      return `no round trips measured for leg "${n.leg}" in the range ("${n.refId}" is NaN)`;
    case 'incidents_no_series':
      return `the probe's incident counter returned no series ("${n.refId}")`;
    case 'pressure_no_data':
      return `no devvm pressure data ("${n.refId}": is node_exporter scraped as job devvm?)`;
    case 'probe_never_scraped':
      return `Prometheus has no scrape of the probe in the range ("${n.refId}")`;
    case 'probe_partly_scraped':
      return `Prometheus could not scrape the probe for part of the range ("${n.refId}" = 0)`;
  }
}

/** The item a verdict shows for a missing note: its query, its leg if one, and its sentence. */
export function missingItem(n: MissingNote): MissingItem {
  const text = missingSentence(n);
  return 'leg' in n ? { refId: n.refId, leg: n.leg, text } : { refId: n.refId, text };
}

/** Whom a garbage value belongs to: `suspect "x"`, `leg "a"`, `leg "a" reason "b"`. */
function subject(n: Extract<WarningNote, { code: 'garbage_value' }>): string {
  if (n.suspect !== undefined) {
    return `suspect ${quote(n.suspect)}`;
  }
  return `leg "${n.leg ?? '?'}"${n.reason !== undefined ? ` reason ${quote(n.reason)}` : ''}`;
}

function warningSentence(n: WarningNote): string {
  switch (n.code) {
    case 'leg_label_absent':
      return n.count === 1
        ? `a series has no "leg" label (labels: ${labelsText(n.labels)}); ignored`
        : `${n.count} series without a "leg" label (e.g. labels: ${labelsText(n.labels)}); ignored`;
    case 'leg_not_in_topology': {
      if (n.legs.length === 1) {
        return `leg ${quote(n.legs[0] ?? '')} is not in the panel's topology; its series are ignored`;
      }
      const named = n.legs.slice(0, NAMED_MAX).map(quote).join(', ');
      const more = n.legs.length > NAMED_MAX ? ` and ${n.legs.length - NAMED_MAX} more` : '';
      return `${n.legs.length} legs are not in the panel's topology (${named}${more}); their series are ignored`;
    }
    case 'garbage_value':
      return `${subject(n)} is ${n.value} (not a number Prometheus should give here); treated as no data`;
    case 'garbage_in_series':
      return `a value is ${n.value} (not a value Prometheus should give here); treated as no data`;
    case 'reason_unknown':
      return `leg "${n.leg}" has unknown reason ${quote(n.reason)}; counted as "error"`;
    case 'suspect_label_absent':
      return `a series has no "suspect" label; ignored`;
    case 'suspect_not_in_topology':
      return `suspect ${quote(n.suspect)} is not a segment of the panel's topology; ignored`;
    case 'more':
      return `${n.count} more unusable values like these`;
  }
}

/** A warning's sentence, led by its query's refId. */
export const warningText = (n: WarningNote): string => `"${n.refId}": ${warningSentence(n)}`;

/** Many unusable series of one query say the same thing: keep a few notes per query, count the rest. */
const WARNINGS_PER_QUERY = 5;

export function capWarnings(warnings: readonly WarningNote[]): WarningNote[] {
  const perQuery = new Map<string, number>();
  const out: WarningNote[] = [];
  for (const w of warnings) {
    const n = (perQuery.get(w.refId) ?? 0) + 1;
    perQuery.set(w.refId, n);
    if (n <= WARNINGS_PER_QUERY) {
      out.push(w);
    }
  }
  for (const [refId, n] of perQuery) {
    if (n > WARNINGS_PER_QUERY) {
      out.push({ code: 'more', refId, count: n - WARNINGS_PER_QUERY });
    }
  }
  return out;
}

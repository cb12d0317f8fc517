import { type DataFrame } from '@grafana/data';
import { ALL_REASONS, type AggregateEvidence, type LegAggregate } from '../attribution';
import type { Reason, Topology } from '../attribution/types';
import { clip, quoteClipped } from './clip';
import type { MissingItem } from './missing';
import { PANEL_QUERIES } from './promql';
import { hasRefId, type Series, seriesFor } from './series';

export interface FramesEvidence {
  evidence: AggregateEvidence;
  missing: MissingItem[];
  /** Data that was there but unusable (garbage values, legs the topology lacks): shown, never guessed at. */
  warnings: string[];
}

const REASONS: ReadonlySet<string> = new Set(ALL_REASONS);

const role = (refId: string) => PANEL_QUERIES.find((q) => q.refId === refId)?.role ?? refId;

/** Last finite value of a series (range queries: "now"; instant queries: the only one). */
function lastFinite(values: ReadonlyArray<number | null>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      return v;
    }
  }
  return null;
}

interface Collector {
  missing: MissingItem[];
  warnings: string[];
}

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

/** Series of a query grouped by leg; series for legs outside the topology, or without a leg label, are reported. */
function byLeg(series: Series[], refId: string, legs: ReadonlySet<string>, c: Collector): Map<string, Series[]> {
  const out = new Map<string, Series[]>();
  const unknown = new Set<string>();
  const unlabelled: Series[] = [];
  for (const s of series) {
    const leg = s.labels.leg;
    if (typeof leg !== 'string') {
      unlabelled.push(s);
      continue;
    }
    if (!legs.has(leg)) {
      unknown.add(leg);
      continue;
    }
    out.set(leg, [...(out.get(leg) ?? []), s]);
  }
  if (unlabelled.length === 1) {
    c.warnings.push(
      `"${refId}": a series has no "leg" label (labels: ${labelsText(unlabelled[0]?.labels ?? {})}); ignored`
    );
  } else if (unlabelled.length > 1) {
    c.warnings.push(
      `"${refId}": ${unlabelled.length} series without a "leg" label (e.g. labels: ${labelsText(unlabelled[0]?.labels ?? {})}); ignored`
    );
  }
  if (unknown.size === 1) {
    c.warnings.push(
      `"${refId}": leg ${quote([...unknown][0] as string)} is not in the panel's topology; its series are ignored`
    );
  } else if (unknown.size > 1) {
    const named = [...unknown].slice(0, NAMED_MAX).map(quote).join(', ');
    const more = unknown.size > NAMED_MAX ? ` and ${unknown.size - NAMED_MAX} more` : '';
    c.warnings.push(
      `"${refId}": ${unknown.size} legs are not in the panel's topology (${named}${more}); their series are ignored`
    );
  }
  return out;
}

/**
 * A value that cannot be what the query measures: not finite, or (for counter increases, rates and
 * quantiles) below zero. Named with its query, then treated as no data.
 */
function isGarbage(v: number): boolean {
  return !Number.isFinite(v) || v < 0;
}

function noteGarbage(refId: string, what: string, v: number | null, c: Collector): void {
  if (v !== null && isGarbage(v)) {
    c.warnings.push(`"${refId}": ${what} is ${v} (not a number Prometheus should give here); treated as no data`);
  }
}

/** Last usable value of a counter-increase series, noting garbage. */
function lastCount(s: Series, refId: string, what: string, c: Collector): number | null {
  const v = lastFinite(s.values);
  if (v !== null && v < 0) {
    noteGarbage(refId, what, v, c);
    return null;
  }
  noteGarbage(refId, what, v === null ? (s.values.at(-1) ?? null) : null, c);
  return v;
}

/** Many unusable series of one query say the same thing: keep a few messages per query, count the rest. */
const WARNINGS_PER_QUERY = 5;

function capWarnings(warnings: string[]): string[] {
  const perQuery = new Map<string, number>();
  const out: string[] = [];
  for (const w of warnings) {
    const refId = /^"([^"]*)"/.exec(w)?.[1] ?? '';
    const n = (perQuery.get(refId) ?? 0) + 1;
    perQuery.set(refId, n);
    if (n <= WARNINGS_PER_QUERY) {
      out.push(w);
    }
  }
  for (const [refId, n] of perQuery) {
    if (n > WARNINGS_PER_QUERY) {
      out.push(`"${refId}": ${n - WARNINGS_PER_QUERY} more unusable values like these`);
    }
  }
  return out;
}

function queryMissing(frames: readonly DataFrame[], refId: string, c: Collector): boolean {
  if (!hasRefId(frames, refId)) {
    c.missing.push({ refId, text: `no query "${refId}" in the panel (${role(refId)})` });
    return true;
  }
  return false;
}

/** The largest finite value over every series of a query (worst PSI), or null. */
function maxOf(series: Series[], refId: string, c: Collector): number | null {
  let max: number | null = null;
  for (const s of series) {
    for (const v of s.values) {
      if (v === null) {
        continue;
      }
      if (isGarbage(v)) {
        c.warnings.push(`"${refId}": a value is ${v} (not a value Prometheus should give here); treated as no data`);
        continue;
      }
      max = max === null ? v : Math.max(max, v);
    }
  }
  return max;
}

/**
 * Maps the panel's Prometheus frames (refIds of `PANEL_QUERIES`) to the engine's aggregate evidence.
 * Absent data stays null so the engine can say "unknown" rather than clear a segment on no evidence.
 * Counter increases stay as Prometheus extrapolated them (e.g. 0.97): the engine decides what counts.
 */
export function evidenceFromFrames(
  frames: readonly DataFrame[],
  topology: Topology,
  range: { from: number; to: number }
): FramesEvidence {
  const c: Collector = { missing: [], warnings: [] };
  const legNames = topology.legs.map((l) => l.name);
  const legSet = new Set(legNames);
  const blank = (): LegAggregate => ({
    drops: null,
    connectedNow: null,
    connectedMin: null,
    rttP99Ms: null,
    slowSamples: null,
    misconfiguredMax: null,
  });
  const legs: Record<string, LegAggregate> = Object.fromEntries(legNames.map((n) => [n, blank()]));
  const leg = (name: string): LegAggregate => legs[name] as LegAggregate;

  const perLeg = (
    refId: string,
    apply: (name: string, series: Series[]) => void,
    missingText: (name: string) => string
  ) => {
    if (queryMissing(frames, refId, c)) {
      return;
    }
    const grouped = byLeg(seriesFor(frames, refId), refId, legSet, c);
    for (const name of legNames) {
      const series = grouped.get(name);
      if (series) {
        apply(name, series);
      }
    }
    for (const name of legNames) {
      if (!grouped.has(name)) {
        c.missing.push({ refId, leg: name, text: missingText(name) });
      }
    }
  };

  perLeg(
    'drops',
    (name, series) => {
      const drops: Partial<Record<Reason, number>> = {};
      for (const s of series) {
        const v = lastCount(s, 'drops', `leg "${name}" reason ${quote(s.labels.reason ?? '?')}`, c);
        if (v === null) {
          continue;
        }
        let reason = s.labels.reason ?? 'error';
        if (!REASONS.has(reason)) {
          c.warnings.push(`"drops": leg "${name}" has unknown reason ${quote(reason)}; counted as "error"`);
          reason = 'error';
        }
        const r = reason as Reason;
        drops[r] = (drops[r] ?? 0) + v;
      }
      leg(name).drops = drops;
    },
    (name) => `no disconnect counts for leg "${name}" ("drops")`
  );

  perLeg(
    'connected',
    (name, series) => {
      let now: number | null = null;
      let min: number | null = null;
      for (const s of series) {
        const last = lastFinite(s.values);
        if (last !== null) {
          now = now === null ? last : Math.min(now, last);
        }
        for (const v of s.values) {
          if (v !== null && Number.isFinite(v)) {
            min = min === null ? v : Math.min(min, v);
          }
        }
      }
      if (now === null) {
        c.missing.push({
          refId: 'connected',
          leg: name,
          text: `leg "${name}" has a "connected" series but no values in the range`,
        });
      }
      leg(name).connectedNow = now === null ? null : now >= 0.5;
      leg(name).connectedMin = min;
    },
    (name) => `no connected state for leg "${name}" ("connected")`
  );

  perLeg(
    'rtt',
    (name, series) => {
      let p99: number | null = null;
      for (const s of series) {
        const raw = s.values.at(-1) ?? null;
        // +Inf: the p99 fell in the histogram's top bucket, a real (and severe) stall sign, kept as is.
        const v = raw === Infinity ? Infinity : lastFinite(s.values);
        if (v === null) {
          continue;
        }
        if (v < 0) {
          noteGarbage('rtt', `leg "${name}"`, v, c);
          continue;
        }
        p99 = p99 === null ? v * 1000 : Math.max(p99, v * 1000);
      }
      if (p99 === null) {
        c.missing.push({
          refId: 'rtt',
          leg: name,
          text: `no round trips measured for leg "${name}" in the range ("rtt" is NaN)`,
        });
      }
      leg(name).rttP99Ms = p99;
    },
    (name) => `no round-trip times for leg "${name}" ("rtt")`
  );

  perLeg(
    'slow',
    (name, series) => {
      let total: number | null = null;
      for (const s of series) {
        const v = lastCount(s, 'slow', `leg "${name}"`, c);
        if (v !== null) {
          total = (total ?? 0) + v;
        }
      }
      leg(name).slowSamples = total;
    },
    (name) => `no slow round-trip count for leg "${name}" ("slow")`
  );

  perLeg(
    'misconfigured',
    (name, series) => {
      leg(name).misconfiguredMax = maxOf(series, 'misconfigured', c);
    },
    (name) => `no misconfiguration gauge for leg "${name}" ("misconfigured")`
  );

  let incidentsBySuspect: Record<string, number> | null = null;
  if (!queryMissing(frames, 'incidents', c)) {
    const series = seriesFor(frames, 'incidents');
    if (series.length === 0) {
      c.missing.push({ refId: 'incidents', text: `the probe's incident counter returned no series ("incidents")` });
    } else {
      incidentsBySuspect = {};
      const segments = new Set(topology.segments.map((seg) => seg.id));
      for (const s of series) {
        const suspect = s.labels.suspect;
        if (typeof suspect !== 'string') {
          c.warnings.push(`"incidents": a series has no "suspect" label; ignored`);
          continue;
        }
        const v = lastCount(s, 'incidents', `suspect ${quote(suspect)}`, c);
        if (v !== null && !segments.has(suspect)) {
          c.warnings.push(`"incidents": suspect ${quote(suspect)} is not a segment of the panel's topology; ignored`);
          continue;
        }
        if (v !== null) {
          incidentsBySuspect[suspect] = (incidentsBySuspect[suspect] ?? 0) + v;
        }
      }
    }
  }

  const pressureOf = (refId: string): number | null => {
    if (queryMissing(frames, refId, c)) {
      return null;
    }
    const series = seriesFor(frames, refId);
    const v = maxOf(series, refId, c);
    if (v === null) {
      c.missing.push({ refId, text: `no devvm pressure data ("${refId}": is node_exporter scraped as job devvm?)` });
    }
    return v;
  };
  const ioFull = pressureOf('psi_io');
  const memoryFull = pressureOf('psi_memory');

  let probeUp: boolean | null = null;
  if (!queryMissing(frames, 'probe_up', c)) {
    const values = seriesFor(frames, 'probe_up').flatMap((s) =>
      s.values.filter((v): v is number => v !== null && Number.isFinite(v))
    );
    if (values.length === 0) {
      c.missing.push({ refId: 'probe_up', text: 'Prometheus has no scrape of the probe in the range ("probe_up")' });
    } else {
      probeUp = values.every((v) => v >= 1);
      if (!probeUp) {
        c.missing.push({
          refId: 'probe_up',
          text: 'Prometheus could not scrape the probe for part of the range ("probe_up" = 0)',
        });
      }
    }
  }

  return {
    evidence: { from: range.from, to: range.to, probeUp, legs, incidentsBySuspect, pressure: { ioFull, memoryFull } },
    missing: c.missing,
    warnings: capWarnings(c.warnings),
  };
}

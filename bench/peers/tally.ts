/** The peers benchmark's trials summed up per fault kind and tool: faults detected, median time, attributed. */
import type { Row } from '../report';
import { median } from '../stats';
import { FAULT_KINDS, KIND_WORDS, type FaultKind } from './faults';
import type { Outcome } from './judge';

export interface Trial {
  kind: FaultKind;
  segment: string;
  /** The runbook row a right attribution names. */
  row: number;
  /** When the fault started, Unix ms. */
  t0: number;
  /** Tool name → what it made of the fault. */
  outcomes: Record<string, Outcome>;
  /** The random pause before the fault (see peers.ts). */
  pauseMs?: number;
  /** blackbox's failing scrapes in the window, times relative to t0 (for the JSON details). */
  failed?: Array<{ setup: string; leg: string; atMs: number; visibleAtMs: number }>;
  /** The probe's incidents in the fault's window, as its API gave them (for the JSON details). */
  probeIncidents?: Array<{ legs: string[]; reasons: string[]; suspects: string[]; summary: string }>;
}

interface Tally {
  kind: FaultKind;
  tool: string;
  faults: number;
  detected: number;
  /** Median time to detection over the detected faults; NaN when none was. */
  medianMs: number;
  /** Faults whose named row is the fault's own. */
  attributed: number;
}

export function tallies(trials: readonly Trial[], tools: readonly string[]): Tally[] {
  return FAULT_KINDS.flatMap((kind) => {
    const ofKind = trials.filter((t) => t.kind === kind);
    if (ofKind.length === 0) {
      return [];
    }
    return tools.map((tool) => {
      const outcomes = ofKind.map((t) => ({ trial: t, o: t.outcomes[tool] }));
      const times = outcomes.flatMap(({ o }) => (o?.detectionMs == null ? [] : [o.detectionMs]));
      return {
        kind,
        tool,
        faults: ofKind.length,
        detected: outcomes.filter(({ o }) => o?.detected === true).length,
        medianMs: median(times),
        attributed: outcomes.filter(({ trial, o }) => o?.row === trial.row).length,
      };
    });
  });
}

const seconds = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '—');

/** One informational row per fault kind and tool. */
export function tallyRows(all: readonly Tally[]): Row[] {
  return all.map((t) => ({
    benchmark: 'peers',
    measure: `${KIND_WORDS[t.kind]} — ${t.tool}`,
    result: `detected ${t.detected}/${t.faults}, median ${seconds(t.medianMs)}, attributed ${t.attributed}/${t.faults}`,
    target: '—',
    pass: null,
  }));
}

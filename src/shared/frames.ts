import { type DataFrame } from '@grafana/data';
import type { AggregateEvidence, LegAggregate } from '../attribution';
import type { Topology } from '../attribution/types';
import type { DecodeContext } from './evidence/context';
import { capWarnings, missingItem, warningText } from './evidence/notes';
import { DECODERS } from './evidence/table';
import type { MissingItem } from './missing';
import { hasRefId, seriesFor } from './series';

interface FramesEvidence {
  evidence: AggregateEvidence;
  missing: MissingItem[];
  /** Data that was there but unusable (garbage values, legs the topology lacks): shown, never guessed at. */
  warnings: string[];
}

const blankLeg = (): LegAggregate => ({
  drops: null,
  connectedNow: null,
  connectedMin: null,
  rttP99Ms: null,
  slowSamples: null,
  misconfiguredMax: null,
});

/**
 * Maps the panel's Prometheus frames (refIds of `PANEL_QUERIES`) to the engine's aggregate evidence, one
 * decoder per refId (`DECODERS`). Absent data stays null so the engine can say "unknown" rather than clear
 * a segment on no evidence. Counter increases stay as Prometheus extrapolated them (e.g. 0.97): the
 * engine decides what counts.
 */
export function evidenceFromFrames(
  frames: readonly DataFrame[],
  topology: Topology,
  range: { from: number; to: number }
): FramesEvidence {
  const legNames = topology.legs.map((l) => l.name);
  const c: DecodeContext = {
    topology,
    legNames,
    draft: {
      probeUp: null,
      legs: Object.fromEntries(legNames.map((n) => [n, blankLeg()])),
      incidentsBySuspect: null,
      pressure: { ioFull: null, memoryFull: null },
    },
    missing: [],
    warnings: [],
  };
  for (const [refId, decode] of Object.entries(DECODERS)) {
    if (hasRefId(frames, refId)) {
      decode(seriesFor(frames, refId), c);
    } else {
      c.missing.push({ code: 'query_absent', refId });
    }
  }
  const { probeUp, legs, incidentsBySuspect, pressure } = c.draft;
  return {
    evidence: { from: range.from, to: range.to, probeUp, legs, incidentsBySuspect, pressure },
    missing: c.missing.map(missingItem),
    warnings: capWarnings(c.warnings).map(warningText),
  };
}

import type { LegAggregate } from '../../attribution';
import type { Topology } from '../../attribution/types';
import type { Series } from '../series';
import type { MissingNote, WarningNote } from './notes';

/** What the decoders fill in: the aggregate evidence but for the range, each value null until a query gives it. */
export interface EvidenceDraft {
  probeUp: boolean | null;
  legs: Record<string, LegAggregate>;
  incidentsBySuspect: Record<string, number> | null;
  pressure: { ioFull: number | null; memoryFull: number | null };
}

/** One decoder's view: the panel's topology, the draft it fills in, and where it notes what was missing or unusable. */
export interface DecodeContext {
  topology: Topology;
  /** The topology's leg names, in its order. */
  legNames: readonly string[];
  draft: EvidenceDraft;
  missing: MissingNote[];
  warnings: WarningNote[];
}

/** Reads one query's series (its refId answered) into the draft. */
export type Decoder = (series: Series[], c: DecodeContext) => void;

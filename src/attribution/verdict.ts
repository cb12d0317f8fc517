import { inPathOrder, isProbeHost, segmentsOf, unmonitoredSegments, userOfSegment } from './topology';
import { matchRunbookRow } from './runbook';
import { exoneratedHeadline, incidentCount, meaningOf, refusalsAdvice } from './wording';
import type {
  Hint,
  Incident,
  SegmentId,
  SegmentState,
  Topology,
  Verdict,
  VerdictKind,
  WindowLegSummary,
} from './types';

/** Every segment's state for the path diagram. */
function segmentStates(
  topology: Topology,
  verdict: VerdictKind,
  suspects: readonly SegmentId[],
  legs: readonly WindowLegSummary[]
): Verdict['segments'] {
  const unmonitored = new Set(unmonitoredSegments(topology));
  const withData = new Set(legs.filter((l) => l.hasData).flatMap((l) => segmentsOf(topology, l.leg)));
  return topology.segments.map((s) => {
    let state: SegmentState;
    if (unmonitored.has(s.id)) {
      state = 'unmonitored';
    } else if (verdict === 'incident' && suspects.includes(s.id)) {
      state = 'suspect';
    } else {
      state = withData.has(s.id) ? 'clear' : 'unknown';
    }
    return { id: s.id, name: s.name, state };
  });
}

function headlineFor(
  topology: Topology,
  verdict: VerdictKind,
  suspects: readonly SegmentId[],
  incidents: readonly Incident[],
  legs: readonly WindowLegSummary[],
  user: string | undefined
): string {
  if (verdict === 'exonerated') {
    return exoneratedHeadline(topology, suspects, legs.length, user);
  }
  if (verdict === 'unknown' && legs.length === 0) {
    return `Unknown: no leg watches ${user === undefined ? 'this path' : `${user}'s path`}, so infra cannot be cleared.`;
  }
  if (verdict === 'unknown') {
    const missing = legs.filter((l) => !l.hasData);
    const stalled = missing.find((l) => l.noDataCause === 'probe_stall');
    const why = stalled ? stalled.note : `no data for ${missing.map((l) => l.leg).join(', ')} in this window`;
    return `Unknown: ${why}, so infra cannot be cleared.`;
  }
  const open = incidents.some((i) => i.end === null) ? ' (still open)' : '';
  const path = incidents.filter((i) => i.kind !== 'config');
  const refused = incidents.length - path.length;
  if (path.length === 0) {
    const unwatched = unwatchedSegments(topology, legs);
    const blind = unwatched.length > 0 ? `; ${unwatched.join(', ')} cannot be cleared until it is fixed` : '';
    return `The probe's own configuration, not infra${open}: ${refusalsAdvice(incidents)}. No path segment is blamed${blind}.`;
  }
  const pathSuspects = inPathOrder(topology, new Set(path.flatMap((i) => i.suspects)));
  // Faults at once that no one fault explains were split (explaining.ts): the headline says so.
  const count = incidentCount(
    path.length,
    path.some((i) => (i.concurrentLegs ?? []).length > 0),
    open
  );
  const meaning = pathSuspects.length > 0 ? meaningOf(topology, pathSuspects) : 'no single segment explains it';
  const also = refused > 0 ? ` Also the probe's own configuration: ${refusalsAdvice(incidents)}.` : '';
  return `${count}: ${meaning}.${also}`;
}

/** Segments watched by no leg with data (but by some leg): what a verdict cannot clear. */
function unwatchedSegments(topology: Topology, legs: readonly WindowLegSummary[]): SegmentId[] {
  const watched = new Set(legs.filter((l) => l.hasData).flatMap((l) => segmentsOf(topology, l.leg)));
  const unmonitored = new Set(unmonitoredSegments(topology));
  return topology.segments
    .map((s) => s.id)
    .filter((id) => !watched.has(id) && !unmonitored.has(id) && !isProbeHost(id));
}

export function assembleVerdict(parts: {
  topology: Topology;
  verdict: VerdictKind;
  from: number;
  to: number;
  suspects: readonly SegmentId[];
  incidents: Incident[];
  legs: WindowLegSummary[];
  hints: Hint[];
  /** The user whose report the verdict is for (the topology is then their view, users.ts). */
  user?: string | undefined;
}): Verdict {
  const suspects = inPathOrder(parts.topology, parts.suspects);
  const isUserSegment = (id: SegmentId): boolean => userOfSegment(parts.topology, id) !== undefined;
  return {
    verdict: parts.verdict,
    ...(parts.user === undefined ? {} : { user: parts.user }),
    from: parts.from,
    to: parts.to,
    suspects,
    segments: segmentStates(parts.topology, parts.verdict, suspects, parts.legs),
    incidents: parts.incidents,
    legs: parts.legs,
    hints: parts.hints,
    headline: headlineFor(parts.topology, parts.verdict, suspects, parts.incidents, parts.legs, parts.user),
    runbookRow:
      parts.verdict === 'unknown'
        ? null
        : matchRunbookRow(
            suspects.filter((id) => !isProbeHost(id)),
            isUserSegment
          ),
  };
}

import { inPathOrder, unmonitoredSegments } from './topology';
import { matchRunbookRow, meaningOf } from './wording';
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
export function segmentStates(
  topology: Topology,
  verdict: VerdictKind,
  suspects: readonly SegmentId[],
  legs: readonly WindowLegSummary[]
): Verdict['segments'] {
  const unmonitored = new Set(unmonitoredSegments(topology));
  const withData = new Set(
    legs.filter((l) => l.hasData).flatMap((l) => topology.legs.find((x) => x.name === l.leg)?.segments ?? [])
  );
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

export function headlineFor(
  topology: Topology,
  verdict: VerdictKind,
  suspects: readonly SegmentId[],
  incidents: readonly Incident[],
  legs: readonly WindowLegSummary[]
): string {
  if (verdict === 'exonerated') {
    return `Infra clean: all ${legs.length} legs stayed up with data for the whole window. The drop was on the user's side: ${meaningOf(topology, suspects)}.`;
  }
  if (verdict === 'unknown') {
    const missing = legs.filter((l) => !l.hasData);
    const stalled = missing.find((l) => l.note.startsWith('the probe itself stalled'));
    const why = stalled ? stalled.note : `no data for ${missing.map((l) => l.leg).join(', ')} in this window`;
    return `Unknown: ${why}, so infra cannot be cleared.`;
  }
  const open = incidents.some((i) => i.end === null) ? ' (still open)' : '';
  const count = incidents.length > 1 ? `${incidents.length} incidents${open}` : `Infra incident${open}`;
  return `${count}: ${suspects.length > 0 ? meaningOf(topology, suspects) : 'no single segment explains it'}.`;
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
}): Verdict {
  const suspects = inPathOrder(parts.topology, parts.suspects);
  return {
    verdict: parts.verdict,
    from: parts.from,
    to: parts.to,
    suspects,
    segments: segmentStates(parts.topology, parts.verdict, suspects, parts.legs),
    incidents: parts.incidents,
    legs: parts.legs,
    hints: parts.hints,
    headline: headlineFor(parts.topology, parts.verdict, suspects, parts.incidents, parts.legs),
    runbookRow: parts.verdict === 'unknown' ? null : matchRunbookRow(suspects),
  };
}

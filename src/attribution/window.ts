import { hintsFor } from './hints';
import { incidentsFromTimeline } from './incidents';
import { normalizeTopology, unmonitoredSegments } from './topology';
import { covered, readTimeline, type Timeline } from './timeline';
import { withDefaults } from './thresholds';
import { assembleVerdict } from './verdict';
import { makeLegSummary } from './records';
import type {
  LegSummaryWhy,
  Pressure,
  ProbeEvent,
  Reason,
  Thresholds,
  Topology,
  Verdict,
  VerdictKind,
  WindowLegSummary,
} from './types';

interface WindowInput {
  topology: Topology;
  /** The probe's events, including some before `from` so an outage already under way is seen. */
  events: readonly ProbeEvent[];
  from: number;
  to: number;
  now: number;
  thresholds?: Partial<Thresholds>;
  pressure?: Pressure;
}

function legSummary(timeline: Timeline, leg: string, from: number, to: number, now: number): WindowLegSummary {
  // While the probe itself was frozen it watched nothing: that stretch is a gap in every leg's data.
  const stall = timeline.probeStalls.find((s) => s.start <= to && s.end >= from);
  const outages = timeline.outages.filter((o) => o.leg === leg);
  // While a server refused the probe's credentials or version, the leg watched nothing on its path.
  const refused = outages.some((o) => o.kind === 'config' && o.start <= to && (o.end ?? now) >= from);
  const hasData = covered(timeline.runs, leg, from, to, now) && !stall && !refused;
  const drops: Partial<Record<Reason, number>> = {};
  for (const o of outages.filter((x) => x.detectedAt >= from && x.detectedAt <= to)) {
    drops[o.reason] = (drops[o.reason] ?? 0) + 1;
  }
  const downAtEnd = outages.some((o) => o.start <= to && (o.end === null || o.end > to));
  const count = Object.values(drops).reduce((a, b) => a + (b ?? 0), 0);
  const why: LegSummaryWhy = stall
    ? { code: 'probe_stalled', stallMs: stall.end - stall.start }
    : refused
      ? { code: 'refused' }
      : !hasData
        ? { code: 'not_covered' }
        : count === 0
          ? downAtEnd
            ? { code: 'down_since_before' }
            : { code: 'stayed_up' }
          : { code: 'drops', count };
  return makeLegSummary({ leg, hasData, drops, connected: hasData ? !downAtEnd : null, rttP99Ms: null, why });
}

/**
 * The verdict for a window, e.g. the minutes around a user's report: which segments to blame, or that
 * infra is exonerated because every leg stayed up with data, or unknown when a leg had no data.
 */
export function attributeWindow(input: WindowInput): Verdict {
  const topology = normalizeTopology(input.topology);
  const t = withDefaults(input.thresholds);
  const to = Math.min(input.to, input.now);
  const timeline = readTimeline(input.events);
  const incidents = incidentsFromTimeline(timeline, topology, input.now, t).filter(
    (i) => i.start <= to + t.slackMs && (i.end ?? input.now) >= input.from - t.slackMs
  );
  const legs = topology.legs.map((l) => legSummary(timeline, l.name, input.from, to, input.now));
  let verdict: VerdictKind;
  let suspects: string[];
  if (incidents.length > 0) {
    verdict = 'incident';
    suspects = [...new Set(incidents.flatMap((i) => i.suspects))];
  } else if (legs.some((l) => !l.hasData)) {
    verdict = 'unknown';
    suspects = [];
  } else {
    verdict = 'exonerated';
    suspects = unmonitoredSegments(topology);
  }
  return assembleVerdict({
    topology,
    verdict,
    from: input.from,
    to: input.to,
    suspects,
    incidents,
    legs,
    hints: hintsFor(incidents, verdict, legs, input.pressure, t, topology),
  });
}

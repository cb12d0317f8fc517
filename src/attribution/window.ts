import { hintsFor } from './hints';
import { incidentsFromTimeline } from './incidents';
import { isProbeHost, normalizeTopology, peerOfLeg, PROBE_SEGMENT, unmonitoredSegments } from './topology';
import { covered, readTimeline, stallsOf, type Timeline } from './timeline';
import { withDefaults } from './thresholds';
import { assembleVerdict } from './verdict';
import { makeLegSummary } from './records';
import { incidentForUser, userView } from './users';
import type {
  Incident,
  Leg,
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
  /**
   * The verdict for this user's report: their own instance and the shared path only (see users.ts).
   * Must be a user of the topology. Absent: every leg and segment.
   */
  user?: string;
}

function blamesOnlyPeerHosts(incident: Incident): boolean {
  const { suspects, kind } = incident;
  return kind !== 'config' && suspects.length > 0 && suspects.every((s) => isProbeHost(s) && s !== PROBE_SEGMENT.id);
}

function legSummary(timeline: Timeline, of: Leg, from: number, to: number, now: number): WindowLegSummary {
  const leg = of.name;
  // While the leg's probe was frozen it watched nothing: that stretch is a gap in every one of its legs' data.
  const stall = stallsOf(timeline, of).find((s) => s.start <= to && s.end >= from);
  const outages = timeline.outages.filter((o) => o.leg === leg);
  // While a server refused the probe's credentials or version, the leg watched nothing on its path.
  const refused = outages.some((o) => o.kind === 'config' && o.start <= to && (o.end ?? now) >= from);
  const hasData = covered(timeline.runs, leg, from, to, now, of.probe) && !stall && !refused;
  const drops: Partial<Record<Reason, number>> = {};
  for (const o of outages.filter((x) => x.detectedAt >= from && x.detectedAt <= to)) {
    drops[o.reason] = (drops[o.reason] ?? 0) + 1;
  }
  const downAtEnd = outages.some((o) => o.start <= to && (o.end === null || o.end > to));
  const count = Object.values(drops).reduce((a, b) => a + (b ?? 0), 0);
  const why: LegSummaryWhy = stall
    ? {
        code: 'probe_stalled',
        stallMs: stall.end - stall.start,
        ...(of.probe === undefined ? {} : { probe: of.probe }),
      }
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
 * infra is exonerated because every leg stayed up with data, or unknown when a leg had no data. For a
 * `user`, incidents are attributed with every leg's evidence, then only that user's are kept, as they see
 * them; an instance no leg watches stays a suspect of an exoneration.
 */
export function attributeWindow(input: WindowInput): Verdict {
  const full = normalizeTopology(input.topology);
  const user = input.user;
  const topology = user === undefined ? full : userView(full, user);
  const t = withDefaults(input.thresholds);
  const to = Math.min(input.to, input.now);
  const timeline = readTimeline(input.events, peerOfLeg(full));
  const all = incidentsFromTimeline(timeline, full, input.now, t).filter(
    (i) => i.start <= to + t.slackMs && (i.end ?? input.now) >= input.from - t.slackMs
  );
  const incidents = user === undefined ? all : all.flatMap((i) => incidentForUser(i, topology) ?? []);
  const legs = topology.legs.map((l) => legSummary(timeline, l, input.from, to, input.now));
  let verdict: VerdictKind;
  let suspects: string[];
  // A peer probe that froze blamed only its own host: its legs watched nothing, which the data check says.
  const onPath = incidents.filter((i) => !blamesOnlyPeerHosts(i));
  if (onPath.length > 0) {
    verdict = 'incident';
    suspects = [...new Set(onPath.flatMap((i) => i.suspects))];
  } else if (legs.length === 0 || legs.some((l) => !l.hasData)) {
    // No data, or no leg at all (a user's view of a topology with only other users' legs).
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
    user,
  });
}

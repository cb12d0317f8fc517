import { inPathOrder, legByName, probeSegmentOf } from './topology';
import { overlaps, stallsOf, type Timeline } from './timeline';
import { explainEveryLeg } from './explaining';
import { judgeHealthyLeg, type LegIndex } from './judging';
import { makeEvidence, makeIncident } from './records';
import { suspectsOf } from './suspects';
import type { HeartbeatEvent, Incident, LegEvidence, Thresholds, Topology } from './types';

/**
 * Stalls shorter than every watchdog: no leg dropped, but round trips slowed past the stall threshold.
 * The runbook's "t3serve RTT spikes" row; a user whose client has a shorter watchdog may still have dropped.
 * Slow round trips close together are one slowdown, split when one fault cannot explain every slowed leg.
 */
export function slowRoundTripIncidents(
  timeline: Timeline,
  topology: Topology,
  hard: readonly Incident[],
  index: LegIndex,
  opts: { now: number; t: Thresholds }
): Incident[] {
  const { now, t } = opts;
  const slow = timeline.heartbeats
    .filter((h) => h.rttMs !== null && h.rttMs >= t.rttStallMs)
    .filter((h) => legByName(topology, h.leg))
    .filter((h) => !hard.some((i) => h.time >= i.start - t.slackMs && h.time <= (i.end ?? now) + t.slackMs))
    .sort((a, b) => a.time - b.time);
  const groups: HeartbeatEvent[][] = [];
  for (const h of slow) {
    const last = groups[groups.length - 1];
    const tail = last?.[last.length - 1];
    if (last && tail && h.time <= tail.time + (tail.rttMs ?? 0) + t.slackMs) {
      last.push(h);
    } else {
      groups.push([h]);
    }
  }
  return groups.flatMap((group) =>
    explainEveryLeg(topology, [...new Set(group.map((h) => h.leg))], (legs) =>
      slowdownIncident(
        group.filter((h) => legs.includes(h.leg)),
        topology,
        timeline,
        index,
        opts
      )
    )
  );
}

/**
 * Round trips that slowed together (sorted by time), judged as one fault: their legs failed, every other leg
 * is judged as against a drop (judging.ts), for a fault as long as the slowest round trip.
 */
function slowdownIncident(
  group: readonly HeartbeatEvent[],
  topology: Topology,
  timeline: Timeline,
  index: LegIndex,
  opts: { now: number; t: Thresholds }
): Incident {
  const first = group[0] as HeartbeatEvent;
  const start = first.time;
  const end = Math.max(...group.map((h) => h.time + (h.rttMs ?? 0)));
  const legs = [...new Set(group.map((h) => h.leg))];
  const longest = Math.max(...group.map((h) => h.rttMs ?? 0));
  // A round trip held up shows the fault present from when it was sent until it was answered, less a normal
  // round trip at each end (on its way to and from the fault), which the slack bounds.
  const seen = group.map((h) => ({ start: h.time + opts.t.slackMs, end: h.time + (h.rttMs ?? 0) - opts.t.slackMs }));
  const evidence: LegEvidence[] = [
    ...legs.map((leg) =>
      makeEvidence({ leg, role: 'failed', reasons: [], why: { code: 'slowed_without_dropping', longestMs: longest } })
    ),
    ...topology.legs
      .filter((l) => !legs.includes(l.name))
      .map((l) => judgeHealthyLeg(l, { start, end }, 'slowdown', longest, seen, timeline, index, opts)),
  ];
  // Round trips measured by a frozen probe look slow too: then only that probe's host is to blame.
  const frozen = legs
    .flatMap((name) => legByName(topology, name) ?? [])
    .filter((l) => stallsOf(timeline, l).some((s) => overlaps(s, { start, end }, opts.t.slackMs)));
  const suspects =
    frozen.length > 0
      ? inPathOrder(topology, new Set(frozen.map(probeSegmentOf)))
      : suspectsOf(topology, evidence, { orEveryUncleared: false });
  return makeIncident(
    {
      id: `${start}-${first.leg}-slow`,
      start,
      end,
      legs,
      reasons: [],
      kind: 'stall',
      suspects,
      minFaultMs: longest,
      evidence,
    },
    topology
  );
}

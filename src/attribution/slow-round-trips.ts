import { legByName, PROBE_SEGMENT } from './topology';
import { covered, overlaps, type Timeline } from './timeline';
import { makeEvidence, makeIncident } from './records';
import { suspectsOf } from './suspects';
import type { HeartbeatEvent, Incident, LegEvidence, Thresholds, Topology } from './types';

/**
 * Stalls shorter than every watchdog: no leg dropped, but round trips slowed past the stall threshold.
 * The runbook's "t3serve RTT spikes" row; a user whose client has a shorter watchdog may still have dropped.
 */
export function slowRoundTripIncidents(
  timeline: Timeline,
  topology: Topology,
  hard: readonly Incident[],
  now: number,
  t: Thresholds
): Incident[] {
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
  return groups.map((group) => {
    const first = group[0] as HeartbeatEvent;
    const start = first.time;
    const end = Math.max(...group.map((h) => h.time + (h.rttMs ?? 0)));
    const legs = [...new Set(group.map((h) => h.leg))];
    const longest = Math.max(...group.map((h) => h.rttMs ?? 0));
    // A stall of length L delays some round trip of every leg through it by at least L − interval.
    const evidence: LegEvidence[] = legs.map((leg) =>
      makeEvidence({ leg, role: 'failed', reasons: [], why: { code: 'slowed_without_dropping', longestMs: longest } })
    );
    for (const leg of topology.legs.filter((l) => !legs.includes(l.name))) {
      const sure = longest - leg.intervalMs >= t.rttStallMs && covered(timeline.runs, leg.name, start, end, now);
      evidence.push(
        makeEvidence({
          leg: leg.name,
          role: sure ? 'clear' : 'blind',
          reasons: [],
          why: { code: sure ? 'fast_through_slowdown' : 'too_few_round_trips' },
        })
      );
    }
    // Round trips measured by a frozen probe look slow too: then only the probe is to blame.
    const probeStalled = timeline.probeStalls.some((s) => overlaps(s, { start, end }, t.slackMs));
    const suspects = probeStalled ? [PROBE_SEGMENT.id] : suspectsOf(topology, evidence, { orEveryUncleared: false });
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
  });
}

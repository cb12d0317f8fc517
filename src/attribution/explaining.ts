import { makeIncident } from './records';
import { segmentsOf } from './topology';
import type { Incident, SegmentId, Topology } from './types';

/** Judges some of the failing legs as one fault (every other leg as it stood meanwhile). */
type Judge = (legs: readonly string[]) => Incident;

interface Group {
  legs: readonly string[];
  incident: Incident;
}

/** Whether one of the incident's suspects lies on the path of every one of `legs`. */
function explains(topology: Topology, incident: Incident, legs: readonly string[]): boolean {
  return incident.suspects.some((s) => legs.every((l) => segmentsOf(topology, l).includes(s)));
}

/**
 * The largest group of `legs` through one segment that its own judgement still suspects (ties: the first
 * segment on the path); undefined when none is.
 */
function largestExplained(topology: Topology, legs: readonly string[], judge: Judge): Group | undefined {
  const through = (id: SegmentId): string[] => legs.filter((l) => segmentsOf(topology, l).includes(id));
  const groups = topology.segments
    .map((s) => ({ id: s.id, legs: through(s.id) }))
    .filter((g) => g.legs.length > 0)
    .sort((a, b) => b.legs.length - a.legs.length);
  for (const group of groups) {
    const incident = judge(group.legs);
    if (incident.suspects.includes(group.id)) {
      return { legs: group.legs, incident };
    }
  }
  return undefined;
}

/**
 * Every failing leg must be explained by a suspect on its own path. Failures that came together are judged
 * as one fault first; when that judgement leaves some failing leg without a suspect on its path, one fault
 * cannot explain them all (say a Cloudflare black hole, and a short serve stall while it lasts, whose
 * length the black hole's would otherwise lend the serve stall). They are split, each group judged as a
 * fault of its own (its own span and length, so a healthy leg clears only what it proves for that group):
 * the largest group through one segment its judgement still suspects, then the same among the legs left.
 * Legs no group explains (contradicting evidence) stay together, judged as one fault as before. Split
 * incidents name each other's legs (`concurrentLegs`), so their summaries say so.
 */
export function explainEveryLeg(topology: Topology, failing: readonly string[], judge: Judge): Incident[] {
  const memo = new Map<string, Incident>();
  const judged: Judge = (legs) => {
    const key = legs.join('\n');
    const known = memo.get(key) ?? judge(legs);
    memo.set(key, known);
    return known;
  };
  const whole = judged(failing);
  if (explains(topology, whole, failing)) {
    return [whole];
  }
  const groups: Group[] = [];
  let left: readonly string[] = failing;
  while (left.length > 0) {
    const group = largestExplained(topology, left, judged) ?? { legs: left, incident: judged(left) };
    groups.push(group);
    left = left.filter((l) => !group.legs.includes(l));
  }
  if (groups.length === 1) {
    return [whole];
  }
  return groups.map(({ legs, incident }) => {
    const { summary: _summary, ...fields } = incident;
    return makeIncident({ ...fields, concurrentLegs: failing.filter((l) => !legs.includes(l)) }, topology);
  });
}

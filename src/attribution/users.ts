import { makeIncident } from './records';
import { userSegmentId, usersOf } from './topology';
import type { Incident, Topology } from './types';

/**
 * One user's part of a normalised topology, what a verdict for that user's report reasons over: the shared
 * segments and legs, and that user's own instance (`serve.<user>`) and legs. Other users' instances and
 * legs are theirs, not this user's. Throws for a user the topology does not know.
 */
export function userView(topology: Topology, user: string): Topology {
  const users = usersOf(topology);
  if (!users.includes(user)) {
    throw new Error(`unknown user ${JSON.stringify(user)} (known: ${users.join(', ') || 'none'})`);
  }
  const others = new Set(users.filter((u) => u !== user).map(userSegmentId));
  return {
    segments: topology.segments.filter((s) => !others.has(s.id)),
    legs: topology.legs.filter((l) => l.user === undefined || l.user === user),
    users: [user],
  };
}

/**
 * An incident (attributed over the whole topology, every leg's evidence weighed) as one user sees it, or
 * null when it is not theirs. It is theirs when a suspect is their own instance or a shared segment (an
 * incident that touches only other users' instances is not); one that blames no segment (slow round trips
 * it cannot pin down, a refusal of the probe's own config) is theirs when one of its failing legs is. Other
 * users' legs and instances are left out of its legs, evidence and suspects.
 */
export function incidentForUser(incident: Incident, view: Topology): Incident | null {
  const legs = new Set(view.legs.map((l) => l.name));
  const segments = new Set(view.segments.map((s) => s.id));
  const blamesSegments = incident.kind !== 'config' && incident.suspects.length > 0;
  const theirs = blamesSegments
    ? incident.suspects.some((s) => segments.has(s))
    : incident.legs.some((l) => legs.has(l));
  if (!theirs) {
    return null;
  }
  const evidence = incident.evidence.filter((e) => legs.has(e.leg));
  const failed = evidence.filter((e) => e.role === 'failed');
  const { summary: _summary, concurrentLegs, ...fields } = incident;
  const concurrent = concurrentLegs?.filter((l) => legs.has(l)) ?? [];
  return makeIncident(
    {
      ...fields,
      ...(concurrent.length > 0 ? { concurrentLegs: concurrent } : {}),
      legs: incident.legs.filter((l) => legs.has(l)),
      // What their own failing legs saw; the fault's reasons when only other users' legs failed.
      reasons: failed.length > 0 ? [...new Set(failed.flatMap((e) => e.reasons))] : incident.reasons,
      suspects: incident.suspects.filter((s) => segments.has(s)),
      evidence,
    },
    view
  );
}

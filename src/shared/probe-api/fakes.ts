/**
 * Typed fakes of the probe's API for tests: answers of the contract's own types (answers.ts), so a fake
 * cannot drift from what the probe sends. The plugin's unit tests (src/test/probeFixtures.ts, through
 * src/test/backendSrv.ts), the probe's handler tests and the HTTP stand-in (tests/browser/fakeProbe.ts) build
 * their well-formed answers here; hostile tests write their malformed ones by hand.
 */
import { DEFAULT_TOPOLOGY, normalizeTopology, userSegmentId, usersOf } from '../../attribution';
import type { Incident, ProbeEvent, Topology } from '../../attribution/types';
import type { EventsAnswer, IncidentsAnswer, LegNow, LegsAnswer, ProbeAnswers, TopologyAnswer } from './answers';

/** A leg as the probe reports it; unless `leg` says otherwise a websocket leg, connected, never heard from. */
export function fakeLeg(leg: Pick<LegNow, 'name'> & Partial<LegNow>): LegNow {
  return {
    type: 'websocket',
    segments: ['probe'],
    connected: true,
    since: null,
    lastHeard: null,
    lastRttMs: null,
    lastReason: null,
    misconfigured: false,
    ...leg,
  };
}

export function fakeLegsAnswer(legs: LegNow[], version = '0.1.0'): LegsAnswer {
  return { version, legs };
}

/** `now`: the answering probe's clock, which a peer pulling the events reads (omitted: an older probe). */
export function fakeEventsAnswer(events: ProbeEvent[], truncated = false, now?: number): EventsAnswer {
  return now === undefined ? { events, truncated } : { events, truncated, now };
}

/** An incident as the probe stores and serves it: one leg's break blamed on traefik, unless told otherwise. */
export function fakeIncident(incident: Pick<Incident, 'id' | 'start' | 'end'> & Partial<Incident>): Incident {
  return {
    legs: ['internal'],
    reasons: ['reset'],
    kind: 'break',
    suspects: ['traefik'],
    minFaultMs: 0,
    evidence: [],
    summary: incident.id,
    ...incident,
  };
}

export function fakeIncidentsAnswer(incidents: Incident[], truncated = false): IncidentsAnswer {
  return { incidents, truncated };
}

/** The topology as the probe answers it: normalized, with each user's own instance and the legs watching it. */
export function fakeTopologyAnswer(topology: Topology = DEFAULT_TOPOLOGY): TopologyAnswer {
  const t = normalizeTopology(topology);
  const users = usersOf(t);
  const userInstances = users.map((user) => {
    const legs = t.legs.filter((l) => l.user === user).map((l) => l.name);
    return { user, segment: userSegmentId(user), monitored: legs.length > 0, legs };
  });
  return { segments: t.segments, legs: t.legs, users, userInstances };
}

/**
 * A stand-in's route table: each answer as `{ body }` under `base` + its route (e.g. a datasource's proxy
 * URL and `/probe`), typed by route.
 */
export function fakeRoutes(answers: Partial<ProbeAnswers>, base = ''): Record<string, { body: object }> {
  return Object.fromEntries(Object.entries(answers).map(([route, body]) => [`${base}${route}`, { body }]));
}

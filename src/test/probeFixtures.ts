import {
  attributeWindow,
  buildIncidents,
  DEFAULT_TOPOLOGY,
  incidentForUser,
  normalizeTopology,
  usersOf,
  userView,
} from '../attribution';
import type { Incident, ProbeEvent, Topology, Verdict } from '../attribution/types';
import type { LegsAnswer } from '../shared/probe-api';
import { fakeIncidentsAnswer, fakeLeg, fakeLegsAnswer, fakeTopologyAnswer } from '../shared/probe-api/fakes';
import type { FakeAnswer } from './backendSrv';
import { FROM, MINUTE } from './clock';

/** Minutes after the fixed window start. */
export const at = (minutes: number) => FROM + minutes * MINUTE;

/**
 * A probe's event log for the fixed window: the probe runs throughout; at +10 min the cloudflare leg
 * alone resets for 30 s (a tunnel blip); at +40 min every leg loses serve for 40 s and is still down at
 * the end when `openAtEnd`.
 */
export function probeEvents(openAtEnd = false): ProbeEvent[] {
  const events: ProbeEvent[] = [
    { type: 'probe_start', time: at(-1) },
    { type: 'disconnect', leg: 'cloudflare', time: at(10), lastHeard: at(10) - 500, reason: 'reset' },
    { type: 'reconnect', leg: 'cloudflare', time: at(10) + 30_000, lastFailure: at(10) + 25_000 },
    { type: 'heartbeat', leg: 'internal', time: at(10) + 100, rttMs: 12 },
    { type: 'heartbeat', leg: 't3serve', time: at(10) + 100, rttMs: 8 },
  ];
  for (const leg of ['cloudflare', 'internal']) {
    events.push({ type: 'disconnect', leg, time: at(40) + 20_000, lastHeard: at(40), reason: 'heartbeat_timeout' });
  }
  events.push({
    type: 'disconnect',
    leg: 't3serve',
    time: at(40) + 5_000,
    lastHeard: at(40),
    reason: 'heartbeat_timeout',
  });
  if (!openAtEnd) {
    for (const leg of ['cloudflare', 'internal', 't3serve']) {
      events.push({ type: 'reconnect', leg, time: at(40) + 40_000, lastFailure: at(40) + 35_000 });
    }
  }
  events.push({ type: 'probe_alive', time: at(60) });
  return events;
}

export function probeIncidents(openAtEnd = false): Incident[] {
  return buildIncidents(probeEvents(openAtEnd), DEFAULT_TOPOLOGY, { now: at(60) });
}

export function probeVerdict(from = FROM, to = at(60)): Verdict {
  return attributeWindow({ topology: DEFAULT_TOPOLOGY, events: probeEvents(), from, to, now: at(60) });
}

/** Users (issue 12): alice's own serve instance watched by the leg serve-alice, carol's by no leg. */
export const USERS_TOPOLOGY: Topology = {
  ...DEFAULT_TOPOLOGY,
  users: ['carol'],
  legs: [
    ...DEFAULT_TOPOLOGY.legs,
    { name: 'serve-alice', type: 'http', segments: [], user: 'alice', intervalMs: 10_000, timeoutMs: 5_000 },
  ],
};

/** alice's own instance stalls 30 s at +20 min, inside her cgroup; the shared legs stay up throughout. */
function userEvents(): ProbeEvent[] {
  return [
    { type: 'probe_start', time: at(-1) },
    { type: 'disconnect', leg: 'serve-alice', time: at(20), lastHeard: at(20) - 5_000, reason: 'heartbeat_timeout' },
    { type: 'reconnect', leg: 'serve-alice', time: at(20) + 30_000, lastFailure: at(20) + 25_000, attempts: 3 },
    { type: 'probe_alive', time: at(60) },
  ];
}

/** The probe's verdict over USERS_TOPOLOGY for one user's report (every user's when `user` is undefined). */
export function userVerdict(user: string | undefined, from = FROM, to = at(60)): Verdict {
  return attributeWindow({ topology: USERS_TOPOLOGY, events: userEvents(), from, to, now: at(60), user });
}

function userIncidents(): Incident[] {
  return buildIncidents(userEvents(), USERS_TOPOLOGY, { now: at(60) });
}

/** The probe's 400 for a user it does not know (probe-sidecar/src/api/params.ts, parseUser). */
function unknownUserAnswer(user: string): FakeAnswer {
  const known = usersOf(USERS_TOPOLOGY).join(', ');
  return {
    status: 400,
    body: { error: `user: ${JSON.stringify(user)} is not a user the probe knows (known: ${known})` },
  };
}

/**
 * The probe behind the attribution datasource's proxy URL, over USERS_TOPOLOGY: its topology, and the
 * verdict and incidents for the `user` a request names (400 for one it does not know), as the probe
 * answers them.
 */
export function userProbeRoutes(
  base = '/api/datasources/proxy/uid/t3-attribution/probe'
): Record<string, (url: URL) => FakeAnswer> {
  const forUser = (url: URL, answer: (user: string | undefined) => object): FakeAnswer => {
    const user = url.searchParams.get('user') ?? undefined;
    if (user !== undefined && !usersOf(USERS_TOPOLOGY).includes(user)) {
      return unknownUserAnswer(user);
    }
    return { body: answer(user) };
  };
  return {
    [`${base}/api/v1/topology`]: () => ({ body: fakeTopologyAnswer(USERS_TOPOLOGY) }),
    [`${base}/api/v1/attribution`]: (url) =>
      forUser(url, (user) =>
        userVerdict(user, Number(url.searchParams.get('from')), Number(url.searchParams.get('to')))
      ),
    [`${base}/api/v1/incidents`]: (url) =>
      forUser(url, (user) => {
        const view = user === undefined ? null : userView(normalizeTopology(USERS_TOPOLOGY), user);
        return fakeIncidentsAnswer(
          view === null ? userIncidents() : userIncidents().flatMap((i) => incidentForUser(i, view) ?? [])
        );
      }),
  };
}

export const LEGS_ANSWER: LegsAnswer = fakeLegsAnswer([
  fakeLeg({
    name: 'cloudflare',
    segments: ['wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve', 'probe'],
    since: at(1),
    lastHeard: at(59),
    lastRttMs: 35,
  }),
  fakeLeg({
    name: 'internal',
    segments: ['traefik', 'devvm-net', 'dispatch', 'serve', 'probe'],
    since: at(1),
    lastHeard: at(59),
    lastRttMs: 4,
  }),
  fakeLeg({
    name: 't3serve',
    type: 'http',
    segments: ['devvm-net', 'serve', 'probe'],
    connected: false,
    since: at(58),
    lastHeard: at(57),
    lastReason: 'refused',
  }),
]);

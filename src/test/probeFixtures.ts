import { attributeWindow, buildIncidents, DEFAULT_TOPOLOGY } from '../attribution';
import type { Incident, ProbeEvent, Verdict } from '../attribution/types';
import type { LegsAnswer } from '../shared/probe-api';
import { fakeLeg, fakeLegsAnswer } from '../shared/probe-api/fakes';
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

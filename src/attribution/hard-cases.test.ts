/** The cases where a naive deduction goes wrong: missing data, overlapping faults, short stalls, the probe itself. */
import { describe, expect, it } from 'vitest';
import { attributeWindow } from './window';
import { buildIncidents } from './incidents';
import { DEFAULT_TOPOLOGY } from './topology';
import { at, cut, play, shuffled, stall, stateOf, T0 } from './testing/scenario';
import type { ProbeEvent, Topology } from './types';
import { DEFAULT_THRESHOLDS } from './thresholds';

describe('missing data is never exoneration', () => {
  it('no events at all → unknown, every monitored segment unknown', () => {
    const verdict = attributeWindow({ topology: DEFAULT_TOPOLOGY, events: [], from: T0, to: at(60), now: at(120) });
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.suspects).toEqual([]);
    expect(stateOf(verdict, 'serve')).toBe('unknown');
    expect(stateOf(verdict, 'client')).toBe('unmonitored');
    expect(verdict.runbookRow).toBeNull();
    expect(verdict.headline).toContain('cloudflare, internal, t3serve');
  });

  it('one leg missing on a quiet window → unknown, naming the leg', () => {
    const { verdict } = play([], { without: ['internal'] });
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.legs.find((l) => l.leg === 'internal')?.hasData).toBe(false);
    expect(verdict.hints.find((h) => h.kind === 'missing_data')?.text).toContain('internal');
    expect(verdict.headline).toContain('internal');
  });

  it('a window that starts before the probe started → unknown', () => {
    const { events } = play([]);
    const verdict = attributeWindow({
      topology: DEFAULT_TOPOLOGY,
      events,
      from: T0 - 60_000,
      to: at(60),
      now: at(300),
    });
    expect(verdict.verdict).toBe('unknown');
  });

  it('a leg without data cannot clear anything: a tunnel cut then also keeps traefik and dispatch suspect', () => {
    const { verdict } = play([cut('tunnel', 60, 80)], { without: ['internal'] });
    expect(verdict.verdict).toBe('incident');
    expect(verdict.incidents[0]?.evidence.find((e) => e.leg === 'internal')?.role).toBe('nodata');
    expect(verdict.suspects).toEqual(['wan', 'cf-edge', 'tunnel', 'traefik', 'dispatch']);
  });

  it('a probe up for longer than the look-back is covered from its first sign of life in the stream', () => {
    const events = [
      { type: 'probe_alive' as const, time: at(0) },
      { type: 'probe_alive' as const, time: at(60) },
    ];
    const verdict = attributeWindow({ topology: DEFAULT_TOPOLOGY, events, from: at(30), to: at(200), now: at(200) });
    expect(verdict.verdict).toBe('exonerated');
    const before = attributeWindow({ topology: DEFAULT_TOPOLOGY, events, from: at(-30), to: at(20), now: at(200) });
    expect(before.verdict).toBe('unknown');
  });

  it('a crash without a stop ends coverage at the last sign of life', () => {
    const events = [
      { type: 'probe_start' as const, time: T0 },
      { type: 'probe_alive' as const, time: at(60) },
      { type: 'probe_start' as const, time: at(600) },
    ];
    const during = attributeWindow({ topology: DEFAULT_TOPOLOGY, events, from: at(10), to: at(50), now: at(700) });
    expect(during.verdict).toBe('exonerated');
    const gap = attributeWindow({ topology: DEFAULT_TOPOLOGY, events, from: at(100), to: at(200), now: at(700) });
    expect(gap.verdict).toBe('unknown');
  });
});

describe('timing', () => {
  it('two independent faults overlapping in time on different legs stay two incidents', () => {
    const { verdict } = play([cut('tunnel', 60, 90), stall('serve', 70.5, 77.5)]);
    expect(verdict.incidents).toHaveLength(2);
    const [cf, serve] = verdict.incidents;
    expect(cf?.legs).toEqual(['cloudflare']);
    expect(cf?.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    expect(serve?.legs).toEqual(['t3serve']);
    expect(serve?.suspects).toEqual(['devvm-net', 'serve']);
    expect(verdict.suspects).toEqual(['wan', 'cf-edge', 'tunnel', 'devvm-net', 'serve']);
  });

  it('a 6 s stall only the 5 s http leg caught: the 20 s websocket watchdogs do not explain it away', () => {
    const { verdict, events } = play([stall('serve', 70.5, 76.5)]);
    expect(events.filter((e) => e.type === 'disconnect').map((e) => 'leg' in e && e.leg)).toEqual(['t3serve']);
    const incident = verdict.incidents[0];
    expect(incident?.suspects).toEqual(['devvm-net', 'serve']);
    const internal = incident?.evidence.find((e) => e.leg === 'internal');
    expect(internal?.role).toBe('blind');
    expect(internal?.note).toContain('watchdog');
  });

  it('a long serve stall is long enough for every watchdog: a healthy http leg clears devvm for a dispatch stall', () => {
    const { verdict } = play([stall('dispatch', 60, 110)]);
    const t3serve = verdict.incidents[0]?.evidence.find((e) => e.leg === 't3serve');
    expect(t3serve?.role).toBe('clear');
  });

  it('events out of order give the same verdict as in order', () => {
    const { events, verdict } = play([cut('tunnel', 60, 80), stall('serve', 150, 200)]);
    const again = attributeWindow({
      topology: DEFAULT_TOPOLOGY,
      events: shuffled(events),
      from: T0,
      to: at(300),
      now: at(300),
    });
    expect(again.incidents.map((i) => [i.legs, i.suspects])).toEqual(
      verdict.incidents.map((i) => [i.legs, i.suspects])
    );
    expect(again.verdict).toBe('incident');
    expect(again.incidents).toHaveLength(2);
  });

  it('a replayed duplicate event does not create a second outage', () => {
    const { events } = play([cut('tunnel', 60, 80)]);
    const twice = [...events, ...events];
    expect(buildIncidents(twice, DEFAULT_TOPOLOGY, { now: at(300) })).toHaveLength(1);
  });

  it('an incident still open has provisional suspects and no end', () => {
    const { verdict } = play([cut('dispatch', 60, 1_000)]);
    const incident = verdict.incidents[0];
    expect(incident?.end).toBeNull();
    expect(incident?.suspects).toEqual(['traefik', 'dispatch']);
    expect(verdict.headline).toContain('still open');
    expect(verdict.legs.find((l) => l.leg === 'internal')?.connected).toBe(false);
  });
});

describe("a healthy leg's round trips count from the incident's start − slack to its end + slack", () => {
  // A tunnel break seen by cloudflare alone: heard last at 99 s, dropped at 100 s, back at 110 s.
  const slack = DEFAULT_THRESHOLDS.slackMs;
  const base: ProbeEvent[] = [
    { type: 'probe_start', time: T0 },
    { type: 'disconnect', time: at(100), leg: 'cloudflare', reason: 'reset', lastHeard: at(99) },
    { type: 'reconnect', time: at(110), leg: 'cloudflare', lastFailure: at(109) },
  ];
  const internalNote = (...heartbeats: Array<[number, number | null]>): string | undefined => {
    const events: ProbeEvent[] = [
      ...base,
      ...heartbeats.map(([time, rttMs]): ProbeEvent => ({ type: 'heartbeat', time, leg: 'internal', rttMs })),
    ];
    const [incident] = buildIncidents(events, DEFAULT_TOPOLOGY, { now: at(300) });
    return incident?.evidence.find((e) => e.leg === 'internal')?.note;
  };

  it('an unanswered heartbeat on either edge makes the leg blind', () => {
    expect(internalNote([at(99) - slack, null])).toContain('round trips slowed');
    expect(internalNote([at(110) + slack, null])).toContain('round trips slowed');
  });

  it('one just outside does not', () => {
    expect(internalNote([at(99) - slack - 1, null], [at(110) + slack + 1, null])).not.toContain('slowed');
  });

  it('a leg down for another fault at the time is blind, whatever its round trips', () => {
    const events: ProbeEvent[] = [
      ...base,
      { type: 'disconnect', time: at(50), leg: 'internal', reason: 'refused', lastHeard: at(49) },
      { type: 'reconnect', time: at(200), leg: 'internal', lastFailure: at(199) },
    ];
    const tunnel = buildIncidents(events, DEFAULT_TOPOLOGY, { now: at(300) }).find((i) => i.legs[0] === 'cloudflare');
    expect(tunnel?.evidence.find((e) => e.leg === 'internal')).toMatchObject({
      role: 'blind',
      note: 'was down for another fault (refused) at the time',
    });
  });

  it('of several prompt answers while a stall was present, the earliest is the proof', () => {
    // The same leg stalled instead (heard last at 90 s): now a prompt cross-check on internal clears it.
    const stalled: ProbeEvent[] = [
      base[0]!,
      { type: 'disconnect', time: at(100), leg: 'cloudflare', reason: 'heartbeat_timeout', lastHeard: at(90) },
      base[2]!,
      ...[
        [at(50), 7],
        [at(95), 9],
        [at(96), 8],
      ].map(([time, rttMs]): ProbeEvent => ({ type: 'heartbeat', time: time!, leg: 'internal', rttMs: rttMs! })),
    ];
    const [incident] = buildIncidents(stalled, DEFAULT_TOPOLOGY, { now: at(300) });
    expect(incident?.evidence.find((e) => e.leg === 'internal')).toMatchObject({
      role: 'clear',
      note: 'answered a cross-check in 9ms while the fault was present',
    });
  });
});

describe('the probe blames itself, never a path segment', () => {
  it('a probe frozen past every watchdog: all legs look dead at once, only `probe` is suspect', () => {
    const { verdict } = play([], { probeFreezes: [{ from: at(60), to: at(95) }] });
    expect(verdict.verdict).toBe('incident');
    // The websocket watchdogs ran out during the freeze; the http leg had no request in flight.
    expect(verdict.incidents[0]?.legs).toEqual(['cloudflare', 'internal']);
    expect(verdict.suspects).toEqual(['probe']);
    expect(stateOf(verdict, 'probe')).toBe('suspect');
    // Frozen, the probe watched nothing: the path is neither blamed nor cleared.
    expect(stateOf(verdict, 'serve')).toBe('unknown');
    expect(verdict.hints.map((h) => h.kind)).toContain('probe_stall');
    expect(verdict.runbookRow).toBeNull();
  });

  it('a probe frozen for less than the watchdogs: no drop, but the window is unknown, not exonerated', () => {
    const { verdict, events } = play([], { probeFreezes: [{ from: at(60), to: at(65) }] });
    expect(events.some((e) => e.type === 'disconnect')).toBe(false);
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.headline).toBe(
      'Unknown: the probe itself stalled for 5s in the window, so infra cannot be cleared.'
    );
    expect(verdict.hints.map((h) => h.kind)).toContain('probe_stall');
    const after = attributeWindow({ topology: DEFAULT_TOPOLOGY, events, from: at(120), to: at(180), now: at(300) });
    expect(after.verdict).toBe('exonerated');
  });

  it('without a recorded probe stall the same drops blame the path', () => {
    const { events } = play([], { probeFreezes: [{ from: at(60), to: at(95) }] });
    const withoutStall = events.filter((e) => e.type !== 'probe_stall');
    const verdict = attributeWindow({
      topology: DEFAULT_TOPOLOGY,
      events: withoutStall,
      from: T0,
      to: at(300),
      now: at(300),
    });
    expect(verdict.suspects).not.toContain('probe');
    expect(verdict.suspects).toContain('traefik');
  });
});

describe('a custom topology with four legs', () => {
  const topology: Topology = {
    segments: Object.entries({
      client: 'Client',
      isp: 'ISP',
      cdn: 'CDN',
      lb: 'Load balancer',
      api: 'API',
      db: 'Database',
    }).map(([id, name]) => ({ id, name })),
    legs: [
      {
        name: 'public',
        type: 'websocket',
        segments: ['isp', 'cdn', 'lb', 'api'],
        intervalMs: 5_000,
        timeoutMs: 10_000,
      },
      { name: 'private', type: 'websocket', segments: ['lb', 'api'], intervalMs: 5_000, timeoutMs: 10_000 },
      { name: 'api', type: 'http', segments: ['api'], intervalMs: 5_000, timeoutMs: 2_000 },
      { name: 'db', type: 'http', segments: ['db'], intervalMs: 5_000, timeoutMs: 2_000 },
    ],
  };

  it('a CDN cut is the public leg alone: isp and cdn', () => {
    expect(play([cut('cdn', 60, 80)], { topology }).verdict.suspects).toEqual(['isp', 'cdn']);
  });

  it('a load balancer cut: both websocket legs, the api leg clears api', () => {
    expect(play([cut('lb', 60, 80)], { topology }).verdict.suspects).toEqual(['lb']);
  });

  it('a database stall is the db leg alone', () => {
    const { verdict } = play([stall('db', 60, 90)], { topology });
    expect(verdict.suspects).toEqual(['db']);
    expect(verdict.runbookRow).toBeNull();
  });

  it('a quiet window exonerates with the custom unmonitored segment', () => {
    const { verdict } = play([], { topology });
    expect(verdict.verdict).toBe('exonerated');
    expect(verdict.suspects).toEqual(['client']);
  });
});

/**
 * A small physical model of the probe's legs, for the engine's tests: faults are put on segments, and each
 * leg reports what a real leg would have seen (heartbeats answered late or not at all, connections cut,
 * reconnects refused). The engine then has to find the faulty segment from those events alone, so the
 * tests check the deduction, not a restatement of it.
 */
import type { Leg, ProbeEvent, Reason, SegmentId, Topology } from '../types';
import { detectionOf } from '../leg-types';
import { normalizeTopology } from '../topology';

/**
 * A leg that checks one user's own serve instance (`serve.<user>`), as the devvm probe's: an http check
 * straight to it every 10 s with a 5 s timeout (like `t3serve`), over devvm's network and host, which every
 * instance shares (a frozen box stalls them all; a stall inside one user's cgroup stalls that user's alone).
 */
function userLeg(user: string, segments: SegmentId[] = ['devvm-net', 'serve']): Leg {
  return { name: `serve-${user}`, type: 'http', segments, intervalMs: 10_000, timeoutMs: 5_000, user };
}

/** `topology` with a leg per `monitored` user and `unmonitored` users known without a leg. */
export function withUsers(topology: Topology, monitored: string[], unmonitored: string[] = []): Topology {
  return {
    ...topology,
    legs: [...topology.legs, ...monitored.map((u) => userLeg(u))],
    ...(unmonitored.length > 0 ? { users: unmonitored } : {}),
  };
}

export interface Fault {
  segment: SegmentId;
  /** stall: traffic is held until the fault ends (SIGSTOP); break: connections are cut and refused (SIGKILL). */
  kind: 'stall' | 'break';
  from: number;
  to: number;
}

export interface SimulationOptions {
  topology: Topology;
  faults: Fault[];
  from: number;
  to: number;
  /** Offset of each leg's first heartbeat after `from`; default staggers legs by a third of a second. */
  phaseMs?: Record<string, number>;
  /** The probe froze for these spans: timers fire late and nothing is read until it resumes. */
  probeFreezes?: Array<{ from: number; to: number }>;
  /** Legs the probe does not run (no data). */
  without?: string[];
  rttMs?: number;
  rttStallMs?: number;
  backoffMs?: number[];
}

const STEP = 10;
const HANDSHAKE_TIMEOUT = 15_000;

interface LegSim {
  leg: Leg;
  connected: boolean;
  lastHeard: number;
  nextPing: number;
  pending: Array<{ sent: number; answer: number | null }>;
  nextAttempt: number;
  attempt: { started: number; done: number; ok: boolean } | null;
  attempts: number;
  lastFailure: number;
  backoffIndex: number;
}

export function simulate(opts: SimulationOptions): ProbeEvent[] {
  const topology = normalizeTopology(opts.topology);
  const rtt = opts.rttMs ?? 5;
  const rttStall = opts.rttStallMs ?? 2_500;
  const backoff = opts.backoffMs ?? [3_000, 4_000, 8_000, 16_000];
  const freezes = opts.probeFreezes ?? [];
  const legs = topology.legs.filter((l) => !(opts.without ?? []).includes(l.name));
  const events: ProbeEvent[] = [{ type: 'probe_start', time: opts.from, legs: legs.map((l) => l.name) }];

  const faultsOn = (leg: Leg, kind: Fault['kind'], at: number): Fault | undefined =>
    opts.faults.find((f) => f.kind === kind && leg.segments.includes(f.segment) && at >= f.from && at < f.to);
  const frozenAt = (at: number): { from: number; to: number } | undefined =>
    freezes.find((f) => at >= f.from && at < f.to);
  // When a message sent at `at` is answered: held to the end of any stall on the way.
  const answerAt = (leg: Leg, at: number): number | null => {
    if (faultsOn(leg, 'break', at)) {
      return null;
    }
    const stall = faultsOn(leg, 'stall', at);
    return (stall ? stall.to : at) + rtt;
  };

  const sims: LegSim[] = legs.map((leg, i) => {
    const phase = opts.phaseMs?.[leg.name] ?? i * 333;
    return {
      leg,
      connected: true,
      lastHeard: opts.from,
      nextPing: opts.from + phase,
      pending: [],
      nextAttempt: Infinity,
      attempt: null,
      attempts: 0,
      lastFailure: opts.from,
      backoffIndex: 0,
    };
  });

  const fail = (sim: LegSim, now: number, reason: Reason): void => {
    sim.connected = false;
    sim.pending = [];
    sim.lastFailure = now;
    sim.attempts = 0;
    sim.backoffIndex = 0;
    sim.nextAttempt = now + (backoff[0] as number);
    events.push({ type: 'disconnect', time: now, leg: sim.leg.name, reason, lastHeard: sim.lastHeard });
    // Cross-check every other connected leg the moment this one fails.
    for (const other of sims) {
      if (other !== sim && other.connected) {
        const answer = answerAt(other.leg, now);
        const rttMs = answer === null || answer - now > other.leg.timeoutMs ? null : answer - now;
        events.push({ type: 'heartbeat', time: now, leg: other.leg.name, rttMs });
      }
    }
  };

  for (let now = opts.from; now <= opts.to; now += STEP) {
    const freeze = frozenAt(now);
    if (freeze) {
      continue;
    }
    for (const sim of sims) {
      const { leg } = sim;
      if (sim.connected) {
        // A cut connection is noticed at once by a leg that holds one.
        if (detectionOf(leg).heldConnection && faultsOn(leg, 'break', now)) {
          fail(sim, now, 'reset');
          continue;
        }
        for (const p of sim.pending.filter((x) => x.answer !== null && x.answer <= now)) {
          sim.lastHeard = Math.max(sim.lastHeard, p.answer as number);
          const took = (p.answer as number) - p.sent;
          if (took >= rttStall) {
            events.push({ type: 'heartbeat', time: p.sent, leg: leg.name, rttMs: took });
          }
        }
        sim.pending = sim.pending.filter((x) => x.answer === null || x.answer > now);
        if (!detectionOf(leg).heldConnection) {
          // One check per interval: a refused or late check is the failure.
          const late = sim.pending.find((p) => now - p.sent >= leg.timeoutMs);
          const refused = sim.pending.find((p) => p.answer === null);
          if (refused) {
            fail(sim, now, 'refused');
            continue;
          }
          if (late) {
            fail(sim, now, 'heartbeat_timeout');
            continue;
          }
        } else if (now - sim.lastHeard >= leg.timeoutMs) {
          fail(sim, now, 'heartbeat_timeout');
          continue;
        }
        if (now >= sim.nextPing) {
          sim.pending.push({ sent: now, answer: answerAt(leg, now) });
          sim.nextPing = now + leg.intervalMs;
        }
        continue;
      }
      if (sim.attempt) {
        if (now >= sim.attempt.done) {
          const { started, done, ok } = sim.attempt;
          sim.attempt = null;
          if (ok) {
            sim.connected = true;
            sim.lastHeard = done;
            sim.nextPing = done + leg.intervalMs;
            const lastFailure = done - started >= rttStall ? done : sim.lastFailure;
            events.push({ type: 'reconnect', time: done, leg: leg.name, lastFailure, attempts: sim.attempts });
          } else {
            sim.lastFailure = done;
            sim.backoffIndex = Math.min(sim.backoffIndex + 1, backoff.length - 1);
            sim.nextAttempt = done + (backoff[sim.backoffIndex] as number);
          }
        }
        continue;
      }
      if (now >= sim.nextAttempt) {
        sim.attempts += 1;
        const answer = answerAt(leg, now);
        const limit = detectionOf(leg).heldConnection ? HANDSHAKE_TIMEOUT : leg.timeoutMs;
        if (answer === null) {
          sim.attempt = { started: now, done: now, ok: false };
        } else if (answer - now > limit) {
          sim.attempt = { started: now, done: now + limit, ok: false };
        } else {
          sim.attempt = { started: now, done: answer, ok: true };
        }
      }
    }
  }
  for (const f of freezes) {
    if (f.to <= opts.to) {
      events.push({ type: 'probe_stall', time: f.to, durationMs: f.to - f.from });
    }
  }
  return events;
}

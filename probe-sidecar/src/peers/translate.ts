// A peer's topology and events in this probe's terms: its legs renamed `<peer>.<leg>` and run by that peer
// (their host is `probe.<peer>`, not this probe's), its coverage and stalls tagged as the peer's, its times
// moved onto this probe's clock. Pure: the pulling is peer-link.ts.
import { isProbeHost, userSegmentId, type Leg, type ProbeEvent, type Segment } from '../engine.js';

/** What a peer adds to this probe's topology. */
export interface PeerPart {
  legs: Leg[];
  /** The peer's segments this probe may not have (never a probe host nor a user's own instance: the engine adds those). */
  segments: Segment[];
  users: string[];
}

/** The part of a peer's topology answer this reads (its own legs; a peer's own peers are not followed). */
interface PeerTopology {
  segments: Segment[];
  legs: Leg[];
  users?: string[];
}

export function importTopology(peer: string, t: PeerTopology): PeerPart {
  const users = new Set(t.users ?? []);
  const legs = t.legs
    .filter((l) => l.probe === undefined)
    .map((l): Leg => {
      const own = l.user === undefined ? undefined : userSegmentId(l.user);
      return {
        name: `${peer}.${l.name}`,
        type: l.type,
        segments: l.segments.filter((s) => !isProbeHost(s) && s !== own),
        intervalMs: l.intervalMs,
        timeoutMs: l.timeoutMs,
        ...(l.user === undefined ? {} : { user: l.user }),
        probe: peer,
      };
    });
  legs.forEach((l) => l.user !== undefined && users.add(l.user));
  const userSegments = new Set([...users].map(userSegmentId));
  const segments = t.segments.filter((s) => !isProbeHost(s.id) && !userSegments.has(s.id));
  return { legs, segments, users: [...users] };
}

/** An event's identity on the peer's own clock, to drop the ones a later pull returns again. */
export function eventKey(e: ProbeEvent): string {
  return `${e.type}|${'leg' in e ? e.leg : ''}|${e.time}`;
}

/**
 * A peer's event as this probe records it, or null for one that is not the peer's own (a leg it does not
 * run, an event about the peer's own peers). `offsetMs`: the peer's clock minus this probe's.
 */
export function importEvent(
  peer: string,
  e: ProbeEvent,
  offsetMs: number,
  legs: ReadonlySet<string>
): ProbeEvent | null {
  const shift = (t: number): number => Math.round(t - offsetMs);
  switch (e.type) {
    case 'disconnect':
      return legs.has(e.leg)
        ? {
            ...e,
            leg: `${peer}.${e.leg}`,
            time: shift(e.time),
            ...(e.lastHeard === undefined ? {} : { lastHeard: shift(e.lastHeard) }),
          }
        : null;
    case 'reconnect':
      return legs.has(e.leg)
        ? {
            ...e,
            leg: `${peer}.${e.leg}`,
            time: shift(e.time),
            ...(e.lastFailure === undefined ? {} : { lastFailure: shift(e.lastFailure) }),
          }
        : null;
    case 'heartbeat':
      return legs.has(e.leg) ? { ...e, leg: `${peer}.${e.leg}`, time: shift(e.time) } : null;
    case 'probe_stall':
      return e.probe === undefined ? { ...e, time: shift(e.time), probe: peer } : null;
    case 'probe_start':
    case 'probe_stop':
    case 'probe_alive':
      if (e.probe !== undefined) {
        return null;
      }
      return {
        ...e,
        time: shift(e.time),
        probe: peer,
        ...(e.legs === undefined ? {} : { legs: e.legs.filter((l) => legs.has(l)).map((l) => `${peer}.${l}`) }),
      };
  }
}

import { isLegType, LEG_TYPE_NAMES } from './leg-types';
import type { Leg, Segment, SegmentId, Topology } from './types';

/** The probe's own host: traversed by every leg, blamed only through the probe's self-monitoring. */
export const PROBE_SEGMENT: Segment = { id: 'probe', name: "The probe's own host" };

/** The runbook's path, from the user's browser to the serve process. */
const DEFAULT_SEGMENTS: readonly Segment[] = [
  { id: 'client', name: 'User device / last mile' },
  { id: 'wan', name: "Site's internet uplink" },
  { id: 'cf-edge', name: 'Cloudflare edge' },
  { id: 'tunnel', name: 'QUIC tunnel / cloudflared' },
  { id: 'traefik', name: 'Traefik LB' },
  { id: 'devvm-net', name: 'Network to devvm' },
  { id: 'dispatch', name: 't3-dispatch' },
  { id: 'serve', name: 't3 serve process and its host' },
  PROBE_SEGMENT,
];

const WS_TIMING = { intervalMs: 10_000, timeoutMs: 20_000 };

export const DEFAULT_TOPOLOGY: Topology = {
  segments: [...DEFAULT_SEGMENTS],
  legs: [
    {
      name: 'cloudflare',
      type: 'websocket',
      segments: ['wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve'],
      ...WS_TIMING,
    },
    { name: 'internal', type: 'websocket', segments: ['traefik', 'devvm-net', 'dispatch', 'serve'], ...WS_TIMING },
    { name: 't3serve', type: 'http', segments: ['devvm-net', 'serve'], intervalMs: 10_000, timeoutMs: 5_000 },
  ],
};

/** A topology problem, with the path of the offending key (e.g. `legs[1].segments[2]`). */
export class TopologyError extends Error {
  constructor(
    readonly key: string,
    message: string
  ) {
    super(`${key}: ${message}`);
    this.name = 'TopologyError';
  }
}

/** The prefix of a peer probe's host: `probe.<peer>`. */
const PEER_SEGMENT_PREFIX = `${PROBE_SEGMENT.id}.`;

/** The host of the peer probe `peer` (the devvm probe's is devvm itself). */
export function peerSegmentId(peer: string): SegmentId {
  return `${PEER_SEGMENT_PREFIX}${peer}`;
}

function peerSegment(peer: string): Segment {
  return { id: peerSegmentId(peer), name: `${peer} probe's own host` };
}

/** The host of the probe that runs `leg`: blamed only through that probe's self-monitoring. */
export function probeSegmentOf(leg: Pick<Leg, 'probe'>): SegmentId {
  return leg.probe === undefined ? PROBE_SEGMENT.id : peerSegmentId(leg.probe);
}

/** Whether `id` is a probe's own host (this probe's or a peer's), which legs' evidence never blames. */
export function isProbeHost(id: SegmentId): boolean {
  return id === PROBE_SEGMENT.id || id.startsWith(PEER_SEGMENT_PREFIX);
}

/** A peer's name follows the segment-id rule, and so must its host's segment `probe.<peer>`. */
export function checkPeerName(value: unknown, key: string): string {
  return checkOwnerName(value, key, 'peer name', peerSegmentId);
}

/** A name that also names a segment of its own (`serve.<user>`, `probe.<peer>`): both must follow the rule. */
function checkOwnerName(value: unknown, key: string, what: string, segmentOf: (name: string) => SegmentId): string {
  const name = checkName(value, key, what);
  if (!NAME.test(segmentOf(name))) {
    throw new TopologyError(
      key,
      `${JSON.stringify(name)} is too long: its segment "${segmentOf(name)}" must have at most 63 characters`
    );
  }
  return name;
}

/** Every peer probe that runs a leg of the topology, each once. */
function peersOf(topology: Topology): string[] {
  return [...new Set(topology.legs.flatMap((l) => (l.probe === undefined ? [] : [l.probe])))];
}

/** Which peer probe runs each leg of `topology` (undefined: this probe), for reading a timeline. */
export function peerOfLeg(topology: Topology): (leg: string) => string | undefined {
  const byLeg = new Map(topology.legs.map((l) => [l.name, l.probe]));
  return (leg) => byLeg.get(leg);
}

/** Ids and leg names end up as Prometheus label values and URL parts: keep them plain. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

function checkName(value: unknown, key: string, what: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new TopologyError(
      key,
      `${JSON.stringify(value)} is not a valid ${what} (letters, digits, '.', '_', '-'; at most 63 characters)`
    );
  }
  return value;
}

/** The prefix of a user's own serve instance: `serve.<user>`. */
const USER_SEGMENT_PREFIX = 'serve.';

/** The segment of a user's own `t3 serve` instance (`t3-serve@<user>.service`). */
export function userSegmentId(user: string): SegmentId {
  return `${USER_SEGMENT_PREFIX}${user}`;
}

function userSegment(user: string): Segment {
  return { id: userSegmentId(user), name: `${user}'s t3 serve instance` };
}

/** A user name follows the segment-id rule, and so must its segment `serve.<user>`. */
function checkUser(value: unknown, key: string): string {
  return checkOwnerName(value, key, 'user name', userSegmentId);
}

/** Every user the topology knows: those of `users` first, then those of the legs, each once. */
export function usersOf(topology: Topology): string[] {
  const fromLegs = topology.legs.flatMap((l) => (l.user === undefined ? [] : [l.user]));
  return [...new Set([...(topology.users ?? []), ...fromLegs])];
}

/** The user whose own instance a segment is, or undefined for a shared segment. */
export function userOfSegment(topology: Topology, id: SegmentId): string | undefined {
  return id.startsWith(USER_SEGMENT_PREFIX) ? usersOf(topology).find((u) => userSegmentId(u) === id) : undefined;
}

function checkPositive(value: unknown, key: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TopologyError(key, `${JSON.stringify(value)} is not a positive duration in milliseconds`);
  }
}

/** Throws a TopologyError naming the first problem; returns normally for a usable topology. */
export function validateTopology(topology: unknown): asserts topology is Topology {
  if (typeof topology !== 'object' || topology === null) {
    throw new TopologyError('topology', 'must be an object with segments and legs');
  }
  const { segments, legs } = topology as Partial<Topology>;
  if (!Array.isArray(segments) || segments.length === 0) {
    throw new TopologyError('segments', 'must be a non-empty list');
  }
  const ids = new Set<SegmentId>();
  segments.forEach((segment: unknown, i) => {
    if (typeof segment !== 'object' || segment === null) {
      throw new TopologyError(`segments[${i}]`, 'must be an object with id and name');
    }
    const { id, name } = segment as Partial<Segment>;
    checkName(id, `segments[${i}].id`, 'segment id');
    if ((id as string).startsWith(PEER_SEGMENT_PREFIX)) {
      throw new TopologyError(`segments[${i}].id`, `"${id}" is reserved for a peer probe's host`);
    }
    if (ids.has(id as string)) {
      throw new TopologyError(`segments[${i}].id`, `duplicate segment id "${id}"`);
    }
    ids.add(id as string);
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TopologyError(`segments[${i}].name`, 'must be a non-empty string');
    }
  });
  if (!Array.isArray(legs) || legs.length === 0) {
    throw new TopologyError('legs', 'must be a non-empty list: without legs nothing is monitored');
  }
  const users = checkUsers(topology as Partial<Topology>);
  // Each user's own instance is a segment (added by normalizeTopology when not listed).
  users.forEach((u) => ids.add(userSegmentId(u)));
  const names = new Set<string>();
  legs.forEach((leg: unknown, i) => {
    if (typeof leg !== 'object' || leg === null) {
      throw new TopologyError(`legs[${i}]`, 'must be an object');
    }
    const l = leg as Partial<Leg>;
    const name = checkName(l.name, `legs[${i}].name`, 'leg name');
    if (names.has(name)) {
      throw new TopologyError(`legs[${i}].name`, `duplicate leg name "${name}"`);
    }
    names.add(name);
    if (l.probe !== undefined) {
      checkPeerName(l.probe, `legs[${i}].probe`);
    }
    if (!isLegType(l.type)) {
      throw new TopologyError(
        `legs[${i}].type`,
        `${JSON.stringify(l.type)} is not one of ${LEG_TYPE_NAMES.join(', ')}`
      );
    }
    // A user's leg traverses that user's instance, so it may list nothing else.
    if (!Array.isArray(l.segments) || (l.segments.length === 0 && l.user === undefined)) {
      throw new TopologyError(`legs[${i}].segments`, `leg "${name}" must traverse at least one segment`);
    }
    const seen = new Set<string>();
    l.segments.forEach((segment: unknown, j) => {
      const key = `legs[${i}].segments[${j}]`;
      if (typeof segment !== 'string' || (!ids.has(segment) && segment !== PROBE_SEGMENT.id)) {
        throw new TopologyError(key, `unknown segment ${JSON.stringify(segment)}`);
      }
      const owner = users.find((u) => userSegmentId(u) === segment);
      if (owner !== undefined && owner !== l.user) {
        throw new TopologyError(
          key,
          `"${segment}" is ${owner}'s own serve instance: only a leg with user "${owner}" traverses it`
        );
      }
      if (seen.has(segment)) {
        throw new TopologyError(key, `segment "${segment}" listed twice`);
      }
      seen.add(segment);
    });
    checkPositive(l.intervalMs, `legs[${i}].intervalMs`);
    checkPositive(l.timeoutMs, `legs[${i}].timeoutMs`);
  });
}

/** `users` and every leg's `user`: valid names, no user listed twice in `users`. */
function checkUsers(topology: Partial<Topology>): string[] {
  const { users } = topology;
  const listed: string[] = [];
  if (users !== undefined) {
    if (!Array.isArray(users)) {
      throw new TopologyError('users', 'must be a list of user names');
    }
    users.forEach((u: unknown, i) => {
      const name = checkUser(u, `users[${i}]`);
      if (listed.includes(name)) {
        throw new TopologyError(`users[${i}]`, `duplicate user "${name}"`);
      }
      listed.push(name);
    });
  }
  const all = new Set(listed);
  (topology.legs ?? []).forEach((leg: unknown, i) => {
    const user = typeof leg === 'object' && leg !== null ? (leg as Partial<Leg>).user : undefined;
    if (user !== undefined) {
      all.add(checkUser(user, `legs[${i}].user`));
    }
  });
  return [...all];
}

/**
 * The topology the engine reasons with: the `probe` segment exists (last, followed by each peer probe's
 * host `probe.<peer>`) and every leg traverses the host of the probe that runs it;
 * every user's own instance `serve.<user>` exists (right after `serve`, or after the last shared segment)
 * and their legs traverse it; `users` lists every user (omitted when there is none); and each leg's
 * segments follow the path order of `segments`.
 */
export function normalizeTopology(topology: Topology): Topology {
  const hasProbe = topology.segments.some((s) => s.id === PROBE_SEGMENT.id);
  const segments = hasProbe ? [...topology.segments] : [...topology.segments, PROBE_SEGMENT];
  for (const peer of peersOf(topology)) {
    if (!segments.some((s) => s.id === peerSegmentId(peer))) {
      segments.push(peerSegment(peer));
    }
  }
  const users = usersOf(topology);
  const missing = users.filter((u) => !segments.some((s) => s.id === userSegmentId(u)));
  if (missing.length > 0) {
    const own = new Set(users.map(userSegmentId));
    let at = segments.findIndex((s) => s.id === 'serve');
    for (let i = segments.length - 1; at < 0 && i >= 0; i--) {
      const id = (segments[i] as Segment).id;
      at = !isProbeHost(id) && !own.has(id) ? i : -1;
    }
    while (at + 1 < segments.length && own.has((segments[at + 1] as Segment).id)) {
      at++;
    }
    segments.splice(at + 1, 0, ...missing.map(userSegment));
  }
  const order = new Map(segments.map((s, i) => [s.id, i]));
  const legs = topology.legs.map((leg) => {
    const own = leg.user === undefined ? [] : [userSegmentId(leg.user)];
    const ids = new Set([...leg.segments, ...own, probeSegmentOf(leg)]);
    return { ...leg, segments: [...ids].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)) };
  });
  return users.length > 0 ? { segments, legs, users } : { segments, legs };
}

/** Segments no leg traverses: the user's device and last mile in the default topology. */
export function unmonitoredSegments(topology: Topology): SegmentId[] {
  const traversed = new Set(topology.legs.flatMap((l) => l.segments));
  return topology.segments.map((s) => s.id).filter((id) => !traversed.has(id) && !isProbeHost(id));
}

/** Segments ordered as on the path. */
export function inPathOrder(topology: Topology, ids: Iterable<SegmentId>): SegmentId[] {
  const wanted = new Set(ids);
  return topology.segments.map((s) => s.id).filter((id) => wanted.has(id));
}

export function legByName(topology: Topology, name: string): Leg | undefined {
  return topology.legs.find((l) => l.name === name);
}

/**
 * The segment that plays serve's role, where host pressure and a refusing server live: the last shared
 * path segment before the probe's own (`serve` in the runbook's topology; users' own instances follow it).
 */
export function serveSegment(topology: Topology): SegmentId | undefined {
  return topology.segments.filter((s) => !isProbeHost(s.id) && userOfSegment(topology, s.id) === undefined).at(-1)?.id;
}

/** The segments a leg traverses; none for a leg the topology does not know. */
export function segmentsOf(topology: Topology, leg: string): SegmentId[] {
  return legByName(topology, leg)?.segments ?? [];
}

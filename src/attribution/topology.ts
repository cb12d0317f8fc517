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
    if (!isLegType(l.type)) {
      throw new TopologyError(
        `legs[${i}].type`,
        `${JSON.stringify(l.type)} is not one of ${LEG_TYPE_NAMES.join(', ')}`
      );
    }
    if (!Array.isArray(l.segments) || l.segments.length === 0) {
      throw new TopologyError(`legs[${i}].segments`, `leg "${name}" must traverse at least one segment`);
    }
    const seen = new Set<string>();
    l.segments.forEach((segment: unknown, j) => {
      const key = `legs[${i}].segments[${j}]`;
      if (typeof segment !== 'string' || (!ids.has(segment) && segment !== PROBE_SEGMENT.id)) {
        throw new TopologyError(key, `unknown segment ${JSON.stringify(segment)}`);
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

/**
 * The topology the engine reasons with: the `probe` segment exists (last) and every leg traverses it,
 * and each leg's segments follow the path order of `segments`.
 */
export function normalizeTopology(topology: Topology): Topology {
  const hasProbe = topology.segments.some((s) => s.id === PROBE_SEGMENT.id);
  const segments = hasProbe ? [...topology.segments] : [...topology.segments, PROBE_SEGMENT];
  const order = new Map(segments.map((s, i) => [s.id, i]));
  const legs = topology.legs.map((leg) => {
    const ids = new Set([...leg.segments, PROBE_SEGMENT.id]);
    return { ...leg, segments: [...ids].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)) };
  });
  return { segments, legs };
}

/** Segments no leg traverses: the user's device and last mile in the default topology. */
export function unmonitoredSegments(topology: Topology): SegmentId[] {
  const traversed = new Set(topology.legs.flatMap((l) => l.segments));
  return topology.segments.map((s) => s.id).filter((id) => !traversed.has(id) && id !== PROBE_SEGMENT.id);
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
 * The segment that plays serve's role, where host pressure and a refusing server live: the last path
 * segment before the probe's own (`serve` in the runbook's topology).
 */
export function serveSegment(topology: Topology): SegmentId | undefined {
  return topology.segments.filter((s) => s.id !== PROBE_SEGMENT.id).at(-1)?.id;
}

/** The segments a leg traverses; none for a leg the topology does not know. */
export function segmentsOf(topology: Topology, leg: string): SegmentId[] {
  return legByName(topology, leg)?.segments ?? [];
}

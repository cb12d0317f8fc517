import type { Incident, Verdict } from '../../attribution/types';
import type {
  ApiRoute,
  AttributionAnswer,
  EventsAnswer,
  IncidentsAnswer,
  LegNow,
  LegsAnswer,
  TopologyAnswer,
} from './answers';

/**
 * Shape checks for the probe's answers (answers.ts): a wrong URL (another service answering 200) or an
 * incompatible probe must give a sentence naming the route and what is wrong, not a crash deep inside a
 * frame mapper. What a reader does not require of the probe shows in its result's type.
 */

/** A leg as readLegs gives it: one without a type reads as `unknown`; `misconfigured` is not checked. */
export type LegRead = Omit<LegNow, 'type' | 'misconfigured'> & {
  type: LegNow['type'] | 'unknown';
  misconfigured?: boolean;
};
export type LegsRead = Omit<LegsAnswer, 'legs'> & { legs: LegRead[] };
/** `truncated` may be absent (read as not truncated). */
type EventsRead = Omit<EventsAnswer, 'truncated'> & Partial<Pick<EventsAnswer, 'truncated'>>;
type IncidentsRead = Omit<IncidentsAnswer, 'truncated'> & Partial<Pick<IncidentsAnswer, 'truncated'>>;
/** Segments and legs checked; `users` and `userInstances` (newer probes) passed on unchecked. */
type TopologyRead = Omit<TopologyAnswer, 'users' | 'userInstances'> &
  Partial<Pick<TopologyAnswer, 'users' | 'userInstances'>>;

/** What each API route's reader gives. */
export interface ProbeReads {
  '/api/v1/legs': LegsRead;
  '/api/v1/events': EventsRead;
  '/api/v1/incidents': IncidentsRead;
  '/api/v1/attribution': AttributionAnswer;
  '/api/v1/topology': TopologyRead;
}

function fail(path: ApiRoute, what: string): never {
  throw new Error(`the probe's answer to ${path} ${what}: is the datasource URL a t3 probe?`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function listOf(body: unknown, path: ApiRoute, key: string): unknown[] {
  if (!isObject(body)) {
    fail(path, 'is not a JSON object');
  }
  const list = body[key];
  if (!Array.isArray(list)) {
    fail(path, `has no "${key}" list`);
  }
  list.forEach((item, i) => {
    if (!isObject(item)) {
      fail(path, `has a non-object at ${key}[${i}]`);
    }
  });
  return list;
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const bool: Check = (v) => typeof v === 'boolean';
const strList: Check = (v) => Array.isArray(v) && v.every(str);
const orNull =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);

/**
 * Checks the optional fields of `item` (at `where`, e.g. `incidents[3]`): an absent field takes its
 * default (or stays absent when the default is undefined), a present one of the wrong type fails naming
 * it. Returns the item with the defaults filled in.
 */
function optional(
  path: ApiRoute,
  item: Record<string, unknown>,
  where: string,
  spec: Record<string, [Check, unknown]>
): Record<string, unknown> {
  const out = { ...item };
  for (const [key, [check, fallback]] of Object.entries(spec)) {
    if (item[key] === undefined) {
      if (fallback !== undefined) {
        out[key] = fallback;
      }
    } else if (!check(item[key])) {
      fail(path, `has a malformed "${key}" at ${where}`);
    }
  }
  return out;
}

const SEGMENT_STATES = ['suspect', 'clear', 'unknown', 'unmonitored'];

export function readLegs(body: unknown): LegsRead {
  const path = '/api/v1/legs';
  const legs = listOf(body, path, 'legs').map((l, i) => {
    const leg = l as Record<string, unknown>;
    if (typeof leg.name !== 'string') {
      fail(path, `has no name at legs[${i}]`);
    }
    if (typeof leg.connected !== 'boolean') {
      fail(path, `has no connected flag at legs[${i}]`);
    }
    return optional(path, leg, `legs[${i}]`, {
      type: [str, 'unknown'],
      segments: [strList, []],
      since: [orNull(num), null],
      lastHeard: [orNull(num), null],
      lastRttMs: [orNull(num), null],
      lastReason: [orNull(str), null],
      user: [str, undefined],
    });
  });
  const version = (body as Record<string, unknown>).version;
  return {
    ...(body as object),
    version: typeof version === 'string' ? version : 'unknown',
    legs,
  } as unknown as LegsRead;
}

export function readEvents(body: unknown): EventsRead {
  const path = '/api/v1/events';
  const events = listOf(body, path, 'events');
  events.forEach((e, i) => {
    const ev = e as Record<string, unknown>;
    if (typeof ev.time !== 'number' || typeof ev.type !== 'string') {
      fail(path, `has no time/type at events[${i}]`);
    }
  });
  return body as EventsRead;
}

function readIncident(path: ApiRoute, x: unknown, where: string): Incident {
  const inc = x as Record<string, unknown>;
  if (!isObject(x) || typeof inc.id !== 'string' || !num(inc.start) || !(inc.end === null || num(inc.end))) {
    fail(path, `has no id/start/end at ${where}`);
  }
  if (!strList(inc.legs) || !strList(inc.suspects)) {
    fail(path, `has no legs/suspects at ${where}`);
  }
  const out = optional(path, inc, where, {
    reasons: [strList, []],
    kind: [str, 'break'],
    minFaultMs: [num, 0],
    summary: [str, ''],
    evidence: [Array.isArray, []],
  });
  (out.evidence as unknown[]).forEach((e, j) => {
    const ev = e as Record<string, unknown>;
    if (!isObject(e) || !str(ev.leg) || !str(ev.role) || !strList(ev.reasons) || !str(ev.note)) {
      fail(path, `has a malformed evidence[${j}] at ${where}`);
    }
  });
  return out as unknown as Incident;
}

export function readIncidents(body: unknown): IncidentsRead {
  const path = '/api/v1/incidents';
  const incidents = listOf(body, path, 'incidents').map((x, i) => readIncident(path, x, `incidents[${i}]`));
  return { ...(body as object), incidents } as IncidentsRead;
}

export function readVerdict(body: unknown): Verdict {
  const path = '/api/v1/attribution';
  if (!isObject(body)) {
    fail(path, 'is not a JSON object');
  }
  if (body.verdict !== 'incident' && body.verdict !== 'exonerated' && body.verdict !== 'unknown') {
    fail(path, 'has no verdict');
  }
  for (const key of ['segments', 'legs', 'hints', 'incidents', 'suspects']) {
    if (!Array.isArray(body[key])) {
      fail(path, `has no "${key}" list`);
    }
  }
  const each = (key: string, ok: (item: Record<string, unknown>) => boolean) =>
    (body[key] as unknown[]).forEach((item, i) => {
      if (!isObject(item) || !ok(item)) {
        fail(path, `has a malformed ${key}[${i}]`);
      }
    });
  const seen = new Set<unknown>();
  // A repeated id would draw two boxes for one segment: refused like any other malformed segment.
  each(
    'segments',
    (s) => str(s.id) && !seen.has(s.id) && !!seen.add(s.id) && str(s.name) && SEGMENT_STATES.includes(s.state as string)
  );
  each(
    'legs',
    (l) =>
      str(l.leg) &&
      bool(l.hasData) &&
      isObject(l.drops) &&
      Object.values(l.drops).every(num) &&
      orNull(bool)(l.connected) &&
      str(l.note)
  );
  each('hints', (h) => str(h.kind) && str(h.text) && (h.runbook === undefined || str(h.runbook)));
  if (!strList(body.suspects)) {
    fail(path, 'has a malformed "suspects" list');
  }
  if (typeof body.headline !== 'string') {
    fail(path, 'has no headline');
  }
  const incidents = (body.incidents as unknown[]).map((x, i) => readIncident(path, x, `incidents[${i}]`));
  return { ...body, incidents } as unknown as Verdict;
}

export function readTopology(body: unknown): TopologyRead {
  const path = '/api/v1/topology';
  listOf(body, path, 'segments').forEach((s, i) => {
    if (!str((s as Record<string, unknown>).id)) {
      fail(path, `has no id at segments[${i}]`);
    }
  });
  listOf(body, path, 'legs').forEach((l, i) => {
    if (!str((l as Record<string, unknown>).name)) {
      fail(path, `has no name at legs[${i}]`);
    }
  });
  return body as TopologyRead;
}

/** Every API route's reader. */
const READERS: { [R in ApiRoute]: (body: unknown) => ProbeReads[R] } = {
  '/api/v1/legs': readLegs,
  '/api/v1/events': readEvents,
  '/api/v1/incidents': readIncidents,
  '/api/v1/attribution': readVerdict,
  '/api/v1/topology': readTopology,
};

/** The body of an answer to `route`, checked by that route's reader. */
export function readAnswer<R extends ApiRoute>(route: R, body: unknown): ProbeReads[R] {
  return READERS[route](body);
}

/** Whether `path` (without a query string) is one of the API's JSON routes. */
export function isApiRoute(path: string): path is ApiRoute {
  return Object.hasOwn(READERS, path);
}

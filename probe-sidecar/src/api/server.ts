// The read-only HTTP API (node:http, no framework). /metrics, /healthz and /readyz are open (Prometheus
// and orchestrators scrape them without credentials, and they carry no secrets); /api/* needs the bearer
// token when api.tokenFile is set.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import {
  attributeWindow,
  EVENT_TYPES,
  incidentForUser,
  normalizeTopology,
  userView,
  userSegmentId,
  usersOf,
  type Incident,
  type ProbeEvent,
  type Thresholds,
  type Topology,
} from '../engine.js';
import type { LegState } from '../legs/leg.js';
import { errorFields, type LogFn } from '../log.js';
import type { ApiRoute, ErrorAnswer, HealthAnswer, LegNow, ProbeAnswers, ReadyAnswer } from '../probe-api.js';
import { bearerMatches } from './auth.js';
import { BadRequest, parseLimit, parseList, parseUser, parseWindow } from './params.js';

export interface ApiSource {
  version: string;
  topology: Topology;
  thresholds?: Partial<Thresholds>;
  retentionMs: number;
  token: string | null;
  registry: Registry;
  legs(): LegState[];
  /** Events with from ≤ time ≤ to, oldest first. */
  readEvents(from: number, to: number): Promise<ProbeEvent[]>;
  /** Closed incidents overlapping [from, to]. */
  readIncidents(from: number, to: number): Promise<Incident[]>;
  /** Incidents not final yet (open, provisional suspects). */
  openIncidents(): Incident[];
  ready(): boolean;
  now?: () => number;
  log: LogFn;
}

const DEFAULT_EVENT_TYPES: Array<ProbeEvent['type']> = ['disconnect', 'reconnect'];
/** Attribution reads this far before `from`, so an outage that started earlier is seen. */
const LOOKBACK_MS = 24 * 3_600_000;

/** A route's handler: its answer is the contract's type for the route (src/shared/probe-api/answers.ts). */
type Handler<A> = (url: URL, src: ApiSource) => Promise<A> | A;

/** The newest `limit` items, oldest first. */
function bounded<T>(items: T[], limit: number): { items: T[]; truncated: boolean } {
  return items.length > limit
    ? { items: items.slice(items.length - limit), truncated: true }
    : { items, truncated: false };
}

const api: { [R in ApiRoute]: Handler<ProbeAnswers[R]> } = {
  '/api/v1/legs': (_url, src) => ({ version: src.version, legs: withUsers(src.legs(), src.topology) }),
  '/api/v1/topology': (_url, src) => {
    const t = normalizeTopology(src.topology);
    const users = usersOf(t);
    // Each user's own instance, and whether a leg watches it (no leg: a verdict for them cannot clear it).
    const userInstances = users.map((user) => {
      const legs = t.legs.filter((l) => l.user === user).map((l) => l.name);
      return { user, segment: userSegmentId(user), monitored: legs.length > 0, legs };
    });
    return { segments: t.segments, legs: t.legs, users, userInstances };
  },
  '/api/v1/events': async (url, src) => {
    const q = url.searchParams;
    const { from, to } = parseWindow(q, now(src), src.retentionMs);
    const limit = parseLimit(q);
    const types: string[] = parseList(q, 'type', EVENT_TYPES) ?? DEFAULT_EVENT_TYPES;
    const legs = parseList(
      q,
      'leg',
      src.topology.legs.map((l) => l.name)
    );
    const events = (await src.readEvents(from, to)).filter(
      (e) => types.includes(e.type) && (legs === null || ('leg' in e && legs.includes(e.leg)))
    );
    const { items, truncated } = bounded(events, limit);
    return { events: items, truncated, now: now(src) };
  },
  '/api/v1/incidents': async (url, src) => {
    const q = url.searchParams;
    const { from, to } = parseWindow(q, now(src), src.retentionMs);
    const limit = parseLimit(q);
    const user = parseUser(q, usersOf(src.topology));
    // For one user: only the incidents that are theirs, as they see them (the engine's rule, as in their verdict).
    const view = user === null ? null : userView(normalizeTopology(src.topology), user);
    const byId = new Map<string, Incident>();
    for (const i of await src.readIncidents(from, to)) {
      byId.set(i.id, i);
    }
    for (const i of src.openIncidents()) {
      if (i.start <= to && (i.end ?? Infinity) >= from) {
        byId.set(i.id, i);
      }
    }
    const all = [...byId.values()].sort((a, b) => a.start - b.start);
    const theirs = view === null ? all : all.flatMap((i) => incidentForUser(i, view) ?? []);
    const { items, truncated } = bounded(theirs, limit);
    return { incidents: items, truncated };
  },
  '/api/v1/attribution': async (url, src) => {
    const { from, to } = parseWindow(url.searchParams, now(src), src.retentionMs);
    // For one user's report: their own instance and the shared path (an unknown user is a 400).
    const user = parseUser(url.searchParams, usersOf(src.topology)) ?? undefined;
    const events = await src.readEvents(Math.max(0, from - LOOKBACK_MS), to);
    return attributeWindow({
      topology: src.topology,
      events,
      from,
      to,
      now: now(src),
      thresholds: src.thresholds,
      user,
    });
  },
};

/** Each leg's state, with the user whose own instance it checks (the topology's `user` of that leg). */
function withUsers(legs: LegNow[], topology: Topology): LegNow[] {
  const userOf = new Map(topology.legs.flatMap((l) => (l.user === undefined ? [] : [[l.name, l.user] as const])));
  return legs.map((l) => {
    const user = userOf.get(l.name);
    return user === undefined ? l : { ...l, user };
  });
}

function now(src: ApiSource): number {
  return (src.now ?? Date.now)();
}

function send(
  res: ServerResponse,
  head: boolean,
  status: number,
  body: string,
  type = 'application/json; charset=utf-8',
  extra: Record<string, string> = {}
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(head ? undefined : body);
}

function json(
  res: ServerResponse,
  head: boolean,
  status: number,
  value: unknown,
  extra?: Record<string, string>
): void {
  send(res, head, status, JSON.stringify(value), undefined, extra);
}

async function handle(req: IncomingMessage, res: ServerResponse, src: ApiSource): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://probe');
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    return json(
      res,
      false,
      405,
      { error: `method ${req.method} not allowed: the API is read-only` } satisfies ErrorAnswer,
      { allow: 'GET, HEAD' }
    );
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/metrics') {
    return send(res, head, 200, await src.registry.metrics(), src.registry.contentType);
  }
  if (path === '/healthz') {
    return json(res, head, 200, { status: 'ok' } satisfies HealthAnswer);
  }
  if (path === '/readyz') {
    return src.ready()
      ? json(res, head, 200, { status: 'ready' } satisfies ReadyAnswer)
      : json(res, head, 503, { status: 'starting' } satisfies ReadyAnswer);
  }
  const route = (api as Partial<Record<string, Handler<unknown>>>)[path];
  if (!route) {
    return json(res, head, 404, { error: `no route ${path}` } satisfies ErrorAnswer);
  }
  if (src.token !== null && !bearerMatches(req.headers.authorization, src.token)) {
    return json(res, head, 401, { error: 'missing or wrong bearer token' } satisfies ErrorAnswer, {
      'www-authenticate': 'Bearer',
    });
  }
  try {
    json(res, head, 200, await route(url, src));
  } catch (err) {
    if (err instanceof BadRequest) {
      return json(res, head, 400, { error: err.message } satisfies ErrorAnswer);
    }
    throw err;
  }
}

export function createApiServer(src: ApiSource): Server {
  // Node enforces the request and header timeouts only when it checks its connections (every 30 s by
  // default): a slowloris crowd could hold sockets 35 s. Check every second so 5 s means 5 s.
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    handle(req, res, src).catch((err: unknown) => {
      src.log('error', 'api request failed', { path: req.url?.split('?')[0], ...errorFields(err) });
      if (!res.headersSent) {
        json(res, false, 500, { error: 'internal error' } satisfies ErrorAnswer);
      } else {
        res.destroy();
      }
    });
  });
  // A slow or stuck client must not hold a socket for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

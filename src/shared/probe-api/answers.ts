/**
 * The probe's JSON API on the wire: every route and the answer it gives. One declaration for the probe's
 * handlers (probe-sidecar/src/api/server.ts), the datasource, the pages and every test client. Where an
 * answer carries the engine's own data (incidents, events, a verdict, the topology) it is the engine's type.
 * The routes and the shapes are fixed contracts (shared/design.md, "Probe sidecar contract"). Times are
 * Unix ms.
 */
import type { Incident, LegType, ProbeEvent, Reason, Topology, Verdict } from '../../attribution/types';

/** One leg's state now: an item of `GET /api/v1/legs`. The probe's legs report exactly this (LegBase.state()). */
export interface LegNow {
  name: string;
  type: LegType;
  /** The segments it traverses, `probe` included. */
  segments: string[];
  connected: boolean;
  /** Wall ms of the last change of `connected`; null before the first attempt finished. */
  since: number | null;
  /** Wall ms of the last sign of life (a healthy attempt, an answered heartbeat). */
  lastHeard: number | null;
  lastRttMs: number | null;
  /** Why it last failed. */
  lastReason: Reason | null;
  /** A server refuses the probe's own credentials or protocol version now (reason auth_failed, version_mismatch). */
  misconfigured: boolean;
  /** The user whose own serve instance (`serve.<user>`) the leg checks (its config's `user`); absent for a shared leg. */
  user?: string;
}

/** `GET /api/v1/legs`. */
export interface LegsAnswer {
  /** The probe's version. */
  version: string;
  legs: LegNow[];
}

/** `GET /api/v1/events?from&to[&type][&leg][&limit]`: oldest first; the newest `limit` when `truncated`. */
export interface EventsAnswer {
  events: ProbeEvent[];
  truncated: boolean;
  /** The probe's clock when it answered (Unix ms): a peer pulling these events measures the clock offset from it. */
  now?: number;
}

/**
 * `GET /api/v1/incidents?from&to[&limit][&user]`: closed and open incidents overlapping the window, by start.
 * With `user`, only that user's, as they see them (the engine's incidentForUser): those blaming their own
 * instance or a shared segment, other users' legs and instances left out.
 */
export interface IncidentsAnswer {
  incidents: Incident[];
  truncated: boolean;
}

/** `GET /api/v1/attribution?from&to[&user]`: the engine's verdict for the window (for one user's report). */
export type AttributionAnswer = Verdict;

/** A user's own serve instance (`serve.<user>`), and the legs that watch it (none: a verdict cannot clear it). */
interface UserInstance {
  user: string;
  segment: string;
  monitored: boolean;
  legs: string[];
}

/** `GET /api/v1/topology`: the probe's topology, normalized (`probe` and `serve.<user>` added), and its users. */
export interface TopologyAnswer extends Topology {
  users: string[];
  userInstances: UserInstance[];
}

/** `GET /healthz`. */
export interface HealthAnswer {
  status: 'ok';
}

/** `GET /readyz`: 200 `ready`, or 503 `starting`. */
export interface ReadyAnswer {
  status: 'ready' | 'starting';
}

/** Any refusal (400 bad parameter, 401, 404, 405, 500). */
export interface ErrorAnswer {
  error: string;
}

/** Every route and its answer. */
export interface ProbeAnswers {
  '/api/v1/legs': LegsAnswer;
  '/api/v1/events': EventsAnswer;
  '/api/v1/incidents': IncidentsAnswer;
  '/api/v1/attribution': AttributionAnswer;
  '/api/v1/topology': TopologyAnswer;
  '/healthz': HealthAnswer;
  '/readyz': ReadyAnswer;
}

/** The JSON routes under /api/v1: the bearer token guards them when the probe has one. */
export type ApiRoute = Extract<keyof ProbeAnswers, `/api/${string}`>;

/**
 * A probe config (design.md's YAML format) for the lab's legs: the runbook's three legs with their
 * segments, pointed at the lab's ports, with timings short enough for tests. Returned as a plain object;
 * `JSON.stringify` of it is valid YAML, so it can be written to a `.yaml` file as is.
 */
import { userLegs } from './user-legs';

export type LegName = 'cloudflare' | 'internal' | 't3serve';

export interface LegUrls {
  cloudflare: string;
  internal: string;
  t3serve: string;
  /** The finer legs' targets (FINER_LEGS), used with `finer`. */
  edge?: string;
  traefik?: string;
  'devvm-net'?: string;
}

/** The runbook's legs and the segments each traverses (design.md, default topology). */
export const LEG_SEGMENTS: Record<LegName, string[]> = {
  cloudflare: ['wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve'],
  internal: ['traefik', 'devvm-net', 'dispatch', 'serve'],
  t3serve: ['devvm-net', 'serve'],
};

type FinerLegName = 'edge' | 'traefik' | 'devvm-net';

/**
 * The finer legs (issue 13), each over a part of the path that no runbook leg crosses alone, so that with
 * the runbook's legs a verdict names one segment: `edge` asks the Cloudflare edge itself (`/cdn-cgi/trace`
 * is answered there, never through the tunnel); `traefik` and `devvm-net` connect to Traefik's entrypoint
 * and to a devvm port (a tcp connect sees the network and the listener, nothing behind it).
 */
export const FINER_LEGS: Record<FinerLegName, { type: 'http' | 'tcp'; segments: string[] }> = {
  edge: { type: 'http', segments: ['wan', 'cf-edge'] },
  traefik: { type: 'tcp', segments: ['traefik'] },
  'devvm-net': { type: 'tcp', segments: ['devvm-net'] },
};

interface Timing {
  interval: string;
  timeout: string;
}

export interface ProbeConfigOptions {
  /** Default `127.0.0.1:0`. */
  listen?: string;
  dataDir?: string;
  /** WebSocket legs' heartbeat. Default 500ms / 2s. */
  heartbeat?: Timing;
  /** The http and tcp legs' cadence. Default 500ms / 2s. */
  http?: Timing;
  /** Reconnect backoff. Default 200ms up to 1s, so recovery shows quickly. */
  reconnect?: { initial: string; max: string };
  /** Bearer token file for ticket auth on the websocket legs; omitted = no auth. */
  tokenFile?: string;
  /** Per-leg keys merged into that leg (e.g. `{ internal: { protocol: 'ping' } }`); `null` drops the leg. */
  legs?: Partial<Record<LegName, Record<string, unknown> | null>>;
  /** Any other top-level keys, added as they are (e.g. `retention`, `api`). */
  extra?: Record<string, unknown>;
  /** Adds the finer legs (FINER_LEGS) at `urls`' edge, traefik and devvm-net. Default off: the runbook's three. */
  finer?: boolean;
  /** user → URL of that user's instance check: an http leg `serve-<user>` with `user` each (user-legs.ts). */
  userUrls?: Readonly<Record<string, string>>;
  /** Users of `userUrls` without a leg, listed under top-level `users` instead. */
  unmonitoredUsers?: readonly string[];
}

export type ProbeConfigObject = Record<string, unknown> & { legs: Array<Record<string, unknown>> };

export function buildProbeConfig(urls: LegUrls, opts: ProbeConfigOptions = {}): ProbeConfigObject {
  const http = opts.http ?? { interval: '500ms', timeout: '2s' };
  // The lab re-checks tokens every second (production: 5 min), so a revoked token shows within its faults.
  const auth = opts.tokenFile ? { auth: { tokenFile: opts.tokenFile, recheck: '1s' } } : {};
  const base: Record<LegName, Record<string, unknown>> = {
    cloudflare: {
      name: 'cloudflare',
      type: 'websocket',
      url: urls.cloudflare,
      protocol: 't3',
      segments: LEG_SEGMENTS.cloudflare,
      ...auth,
    },
    internal: {
      name: 'internal',
      type: 'websocket',
      url: urls.internal,
      protocol: 't3',
      segments: LEG_SEGMENTS.internal,
      ...auth,
    },
    t3serve: {
      name: 't3serve',
      type: 'http',
      url: urls.t3serve,
      interval: http.interval,
      timeout: http.timeout,
      segments: LEG_SEGMENTS.t3serve,
    },
  };
  const legs: Array<Record<string, unknown>> = [];
  for (const name of Object.keys(base) as LegName[]) {
    const override = opts.legs?.[name];
    if (override === null) {
      continue;
    }
    legs.push({ ...base[name], ...override });
  }
  for (const name of Object.keys(opts.legs ?? {})) {
    if (!(name in base)) {
      throw new Error(
        `probeConfig: unknown leg ${JSON.stringify(name)} in legs (known: ${Object.keys(base).join(', ')})`
      );
    }
  }
  if (opts.finer) {
    legs.push(...finerLegs(urls, http));
  }
  const perUser = userLegs({
    urls: opts.userUrls ?? {},
    unmonitored: opts.unmonitoredUsers ?? [],
    http,
    segments: LEG_SEGMENTS.t3serve,
  });
  legs.push(...perUser.legs);
  const config: ProbeConfigObject = {
    listen: opts.listen ?? '127.0.0.1:0',
    heartbeat: opts.heartbeat ?? { interval: '500ms', timeout: '2s' },
    reconnect: opts.reconnect ?? { initial: '200ms', max: '1s' },
    legs,
  };
  if (perUser.users.length > 0) {
    config.users = perUser.users;
  }
  if (opts.dataDir !== undefined) {
    config.dataDir = opts.dataDir;
  }
  return { ...config, ...opts.extra };
}

function finerLegs(urls: LegUrls, check: Timing): Array<Record<string, unknown>> {
  return (Object.keys(FINER_LEGS) as FinerLegName[]).map((name) => {
    const url = urls[name];
    if (url === undefined) {
      throw new Error(`probeConfig: finer needs the URL of the ${name} leg (urls.${name})`);
    }
    const { type, segments } = FINER_LEGS[name];
    return { name, type, url, interval: check.interval, timeout: check.timeout, segments };
  });
}

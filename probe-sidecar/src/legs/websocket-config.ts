// The websocket leg's config: its keys, their reader (every problem a ConfigError naming its key) and the
// heartbeat rule it shares with the top-level `heartbeat`, its default.
import { DEFAULTS } from '../config/defaults.js';
import { ConfigError } from '../config/error.js';
import { bool, durationOr, join, mapping, oneOf, readable, str, type Obj } from '../config/fields.js';
import type { LegConfigBase } from '../config/types.js';
import { healthFallbackWarnings } from './health-fallback.js';
import type { CommonLegFields, LegReadContext } from './registry.js';
import { COMMON_LEG_KEYS } from './leg-keys.js';

/** Where a leg's bearer token for t3 ticket auth comes from (exactly one of the two). */
export type TokenSource = { tokenFile: string } | { tokenEnv: string };

/**
 * A websocket leg's t3 credentials. `recheckMs`: how often a connected leg buys a ticket just to learn
 * whether the server still takes its token (t3 checks credentials only on the upgrade, so a revoked or
 * expired token would otherwise surface only at the next reconnect, in the middle of an incident).
 */
type LegAuth = TokenSource & { recheckMs: number };

export interface WebsocketLegConfig extends LegConfigBase {
  type: 'websocket';
  /** t3: `{"_tag":"Ping"}` text frames; ping: RFC 6455 ping frames. */
  protocol: 't3' | 'ping';
  auth: LegAuth | null;
  /** Offer permessage-deflate, as browsers always do. */
  compression: boolean;
}

interface Heartbeat {
  intervalMs: number;
  timeoutMs: number;
}

export const WEBSOCKET_KEYS = [...COMMON_LEG_KEYS, 'protocol', 'heartbeat', 'headers', 'auth', 'compression'];
export const WEBSOCKET_SCHEMES = ['ws:', 'wss:'];

export function readWebsocketLeg(l: Obj, common: CommonLegFields, ctx: LegReadContext): WebsocketLegConfig {
  const { path } = ctx;
  const { intervalMs, timeoutMs } = readHeartbeat(l.heartbeat, join(path, 'heartbeat'), ctx.heartbeat);
  return {
    type: 'websocket',
    ...common,
    intervalMs,
    timeoutMs,
    protocol:
      l.protocol === undefined
        ? DEFAULTS.websocket.protocol
        : oneOf(l.protocol, join(path, 'protocol'), ['t3', 'ping'] as const),
    auth: l.auth === undefined ? null : readAuth(l.auth, join(path, 'auth'), ctx.baseDir, ctx.env),
    compression:
      l.compression === undefined ? DEFAULTS.websocket.compression : bool(l.compression, join(path, 'compression')),
  };
}

/** A t3-protocol leg proves serve answers (a Pong); a ping leg aimed at /health is warned about as an http leg. */
export function websocketWarnings(cfg: WebsocketLegConfig, path: string): string[] {
  return cfg.protocol === 't3' ? [] : healthFallbackWarnings(cfg.url, path);
}

/**
 * A `heartbeat` mapping (top-level, or a leg's override): each key absent keeps `base`'s value. Absent
 * altogether: `base` as it is (already checked).
 */
export function readHeartbeat(raw: unknown, path: string, base: Heartbeat): Heartbeat {
  if (raw === undefined) {
    return base;
  }
  const hb = mapping(raw, path, ['interval', 'timeout']);
  const intervalMs = durationOr(hb.interval, join(path, 'interval'), base.intervalMs);
  const timeoutMs = durationOr(hb.timeout, join(path, 'timeout'), base.timeoutMs);
  // The watchdog measures silence; with a timeout not above the interval it would fire between heartbeats.
  if (timeoutMs <= intervalMs) {
    throw new ConfigError(join(path, 'timeout'), 'must be longer than the heartbeat interval');
  }
  return { intervalMs, timeoutMs };
}

function readAuth(raw: unknown, path: string, baseDir: string, env: NodeJS.ProcessEnv): LegAuth {
  const a = mapping(raw, path, ['tokenFile', 'tokenEnv', 'recheck']);
  if ((a.tokenFile === undefined) === (a.tokenEnv === undefined)) {
    throw new ConfigError(path, 'set exactly one of tokenFile, tokenEnv');
  }
  const recheckMs = durationOr(a.recheck, join(path, 'recheck'), DEFAULTS.websocket.authRecheckMs);
  if (a.tokenFile !== undefined) {
    return { tokenFile: readable(a.tokenFile, join(path, 'tokenFile'), baseDir), recheckMs };
  }
  const name = str(a.tokenEnv, join(path, 'tokenEnv'));
  if (!env[name]) {
    throw new ConfigError(join(path, 'tokenEnv'), `environment variable ${name} is not set`);
  }
  return { tokenEnv: name, recheckMs };
}

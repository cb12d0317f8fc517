// The tcp leg's config: `url: tcp://host:port` (the one key every leg has names its target) and its
// cadence; every problem a ConfigError naming its key.
import { DEFAULTS } from '../config/defaults.js';
import { ConfigError } from '../config/error.js';
import { durationOr, join, type Obj } from '../config/fields.js';
import type { LegConfigBase } from '../config/types.js';
import type { CommonLegFields, LegReadContext } from './registry.js';
import { COMMON_LEG_KEYS } from './leg-keys.js';

export interface TcpLegConfig extends LegConfigBase {
  type: 'tcp';
  /** From `url`, IPv6 without its brackets, as net.connect takes it. */
  host: string;
  port: number;
}

/** No `headers`: a bare connect sends nothing. */
export const TCP_KEYS = [...COMMON_LEG_KEYS, 'interval', 'timeout'];
export const TCP_SCHEMES = ['tcp:'];

/** `tcp://host:port` and nothing else: a path, query or user would be silently ignored by a connect. */
function target(url: string, path: string): { host: string; port: number } {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) {
    throw new ConfigError(path, `${JSON.stringify(url)} has no host (use tcp://host:port)`);
  }
  if (!u.port) {
    throw new ConfigError(path, `${JSON.stringify(url)} has no port (use tcp://host:port)`);
  }
  const port = Number(u.port);
  if (port < 1) {
    throw new ConfigError(path, `port ${u.port} is not a port to connect to (1 to 65535)`);
  }
  if (u.pathname || u.search || u.hash || u.username || u.password) {
    throw new ConfigError(path, `${JSON.stringify(url)} must be tcp://host:port alone (a connect sends no path)`);
  }
  return { host, port };
}

export function readTcpLeg(l: Obj, common: CommonLegFields, { path }: LegReadContext): TcpLegConfig {
  return {
    type: 'tcp',
    ...common,
    ...target(common.url, join(path, 'url')),
    intervalMs: durationOr(l.interval, join(path, 'interval'), DEFAULTS.tcp.intervalMs),
    timeoutMs: durationOr(l.timeout, join(path, 'timeout'), DEFAULTS.tcp.timeoutMs),
  };
}

// Reads and validates the YAML config up front: every problem becomes one ConfigError naming its key.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { DEFAULT_TOPOLOGY, TopologyError, validateTopology, type Leg, type Segment, type Topology } from '../engine.js';
import { ConfigError } from './error.js';
import { DEFAULTS } from './defaults.js';
import {
  bool,
  clip,
  describe,
  duration,
  durationOr,
  join,
  list,
  mapping,
  oneOf,
  str,
  stringMap,
  type Obj,
} from './fields.js';
import type { LegAuth, LegConfig, ListenAddress, ProbeConfig } from './types.js';

const TOP_KEYS = ['listen', 'dataDir', 'heartbeat', 'reconnect', 'retention', 'api', 'attribution', 'segments', 'legs'];
const WS_KEYS = ['name', 'type', 'url', 'protocol', 'segments', 'heartbeat', 'headers', 'auth', 'compression'];
const HTTP_KEYS = ['name', 'type', 'url', 'interval', 'timeout', 'segments', 'headers'];

/** 100 years: `now - retention` must stay a valid Date. */
const MAX_RETENTION_MS = 100 * 365 * 86_400_000;

/** Reads `file`; relative paths in it (dataDir, token files) resolve against the file's directory. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): ProbeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError('', `cannot read config file ${file} (${code})`);
  }
  let doc: unknown;
  try {
    // Warnings (e.g. an unknown tag) would print several lines to stderr: the config error is the one line.
    doc = parse(text, { logLevel: 'error' });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const where = err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
      throw new ConfigError('', `cannot parse ${file} as YAML${where}: ${err.code}`);
    }
    throw new ConfigError('', `cannot parse ${file} as YAML`);
  }
  return validateConfig(doc, dirname(resolve(file)), env);
}

export function validateConfig(doc: unknown, baseDir: string, env: NodeJS.ProcessEnv = {}): ProbeConfig {
  if (doc === null || doc === undefined) {
    throw new ConfigError('', 'the config file is empty');
  }
  const top = mapping(doc, '', TOP_KEYS);
  const hb = section(top, 'heartbeat', ['interval', 'timeout']);
  const wsIntervalMs = durationOr(hb.interval, 'heartbeat.interval', DEFAULTS.heartbeat.intervalMs);
  const wsTimeoutMs = durationOr(hb.timeout, 'heartbeat.timeout', DEFAULTS.heartbeat.timeoutMs);
  checkWatchdog(wsIntervalMs, wsTimeoutMs, 'heartbeat.timeout');

  const rc = section(top, 'reconnect', ['initial', 'max', 'refused']);
  const initialMs = durationOr(rc.initial, 'reconnect.initial', DEFAULTS.reconnect.initialMs);
  const maxMs = durationOr(rc.max, 'reconnect.max', DEFAULTS.reconnect.maxMs);
  if (maxMs < initialMs) {
    throw new ConfigError('reconnect.max', 'must not be shorter than reconnect.initial');
  }
  const refusedMs = durationOr(rc.refused, 'reconnect.refused', DEFAULTS.reconnect.refusedMs);

  const at = section(top, 'attribution', ['rttStall', 'slack']);
  const thresholds = {
    rttStallMs: durationOr(at.rttStall, 'attribution.rttStall', DEFAULTS.attribution.rttStallMs),
    slackMs: durationOr(at.slack, 'attribution.slack', DEFAULTS.attribution.slackMs),
  };

  const api = section(top, 'api', ['tokenFile']);
  const tokenFile = api.tokenFile === undefined ? null : readable(api.tokenFile, 'api.tokenFile', baseDir);

  const segments =
    top.segments === undefined ? DEFAULT_TOPOLOGY.segments.map((s) => ({ ...s })) : readSegments(top.segments);
  if (top.legs === undefined) {
    throw new ConfigError('legs', 'is required: list the legs to probe (each needs a name, type, url and segments)');
  }
  const legs = list(top.legs, 'legs').map((raw, i) =>
    readLeg(raw, join('legs', i), { intervalMs: wsIntervalMs, timeoutMs: wsTimeoutMs }, baseDir, env)
  );
  const topology: Topology = {
    segments,
    legs: legs.map((l): Leg => ({
      name: l.name,
      type: l.type,
      segments: [...l.segments],
      intervalMs: l.intervalMs,
      timeoutMs: l.timeoutMs,
    })),
  };
  try {
    validateTopology(topology);
  } catch (err) {
    // The engine names the key (duplicate names, unknown segments…) in the config's own terms.
    if (err instanceof TopologyError) {
      throw new ConfigError(err.key, clip(err.message.slice(err.key.length + 2)));
    }
    throw err;
  }

  return {
    listen: parseListen(top.listen ?? DEFAULTS.listen, 'listen'),
    dataDir: resolve(baseDir, str(top.dataDir ?? DEFAULTS.dataDir, 'dataDir')),
    reconnect: { initialMs, maxMs, refusedMs },
    // Not a timer: only compared with event times, so years are fine (up to a date JavaScript can hold).
    retentionMs: durationOr(top.retention, 'retention', DEFAULTS.retentionMs, MAX_RETENTION_MS),
    api: { tokenFile },
    warnings: legs.flatMap((l, i) => legWarnings(l, join('legs', i))),
    thresholds,
    topology,
    legs,
  };
}

function section(top: Obj, key: string, allowed: string[]): Obj {
  return top[key] === undefined ? {} : mapping(top[key], key, allowed);
}

function readSegments(value: unknown): Segment[] {
  return list(value, 'segments').map((raw, i) => {
    const path = join('segments', i);
    const s = mapping(raw, path, ['id', 'name']);
    return { id: str(s.id, join(path, 'id')), name: str(s.name ?? s.id, join(path, 'name')) };
  });
}

function readLeg(
  raw: unknown,
  path: string,
  wsDefault: { intervalMs: number; timeoutMs: number },
  baseDir: string,
  env: NodeJS.ProcessEnv
): LegConfig {
  const pre = mapping(raw, path, [...new Set([...WS_KEYS, ...HTTP_KEYS])]);
  const type = oneOf(pre.type, join(path, 'type'), ['websocket', 'http'] as const);
  const l = mapping(raw, path, type === 'websocket' ? WS_KEYS : HTTP_KEYS);
  const name = str(l.name, join(path, 'name'));
  const segments = list(l.segments, join(path, 'segments')).map((s, i) => str(s, join(join(path, 'segments'), i)));
  const headers = l.headers === undefined ? {} : stringMap(l.headers, join(path, 'headers'));
  const url = readUrl(l.url, join(path, 'url'), type === 'websocket' ? ['ws:', 'wss:'] : ['http:', 'https:']);

  if (type === 'http') {
    return {
      type,
      name,
      url,
      segments,
      headers,
      intervalMs: durationOr(l.interval, join(path, 'interval'), DEFAULTS.http.intervalMs),
      timeoutMs: durationOr(l.timeout, join(path, 'timeout'), DEFAULTS.http.timeoutMs),
    };
  }
  let { intervalMs, timeoutMs } = wsDefault;
  if (l.heartbeat !== undefined) {
    const hbPath = join(path, 'heartbeat');
    const hb = mapping(l.heartbeat, hbPath, ['interval', 'timeout']);
    if (hb.interval !== undefined) {
      intervalMs = duration(hb.interval, join(hbPath, 'interval'));
    }
    if (hb.timeout !== undefined) {
      timeoutMs = duration(hb.timeout, join(hbPath, 'timeout'));
    }
    checkWatchdog(intervalMs, timeoutMs, join(hbPath, 'timeout'));
  }
  return {
    type,
    name,
    url,
    segments,
    headers,
    intervalMs,
    timeoutMs,
    protocol:
      l.protocol === undefined
        ? DEFAULTS.websocket.protocol
        : oneOf(l.protocol, join(path, 'protocol'), ['t3', 'ping'] as const),
    auth: l.auth === undefined ? null : readAuth(l.auth, join(path, 'auth'), baseDir, env),
    compression:
      l.compression === undefined ? DEFAULTS.websocket.compression : bool(l.compression, join(path, 'compression')),
  };
}

/**
 * A t3 server answers every unknown path, `/health` included, with 200 and its web app's HTML, whatever
 * its state: a status check there proves nothing about serve.
 */
function legWarnings(leg: LegConfig, path: string): string[] {
  const aimsAtFallback = /\/health\/?$/.test(new URL(leg.url).pathname);
  if (!aimsAtFallback || (leg.type === 'websocket' && leg.protocol === 't3')) {
    return [];
  }
  return [
    `${join(path, 'url')}: ${leg.url} is a t3 server's /health, which answers 200 with HTML whatever the server's state; use /.well-known/t3/environment (http) or /ws with protocol t3`,
  ];
}

/** The watchdog measures silence; with a timeout not above the interval it would fire between heartbeats. */
function checkWatchdog(intervalMs: number, timeoutMs: number, path: string): void {
  if (timeoutMs <= intervalMs) {
    throw new ConfigError(path, 'must be longer than the heartbeat interval');
  }
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

/** A token file must be readable at start; it is re-read later, so a rotated token is picked up. */
function readable(value: unknown, path: string, baseDir: string): string {
  const file = resolve(baseDir, str(value, path));
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(path, `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (!token) {
    throw new ConfigError(path, `${file} is empty`);
  }
  return file;
}

function readUrl(value: unknown, path: string, schemes: string[]): string {
  const text = str(value, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(path, `${describe(text)} is not a URL`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new ConfigError(
      path,
      `scheme ${url.protocol} is not allowed here (use ${schemes.map((s) => s + '//').join(' or ')})`
    );
  }
  return text;
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
export function parseListen(value: unknown, path: string): ListenAddress {
  const text = str(value, path);
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new ConfigError(path, `${describe(text)} is not host:port (e.g. 0.0.0.0:9464)`);
  }
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

// Reads and validates the YAML config up front: every problem becomes one ConfigError naming its key.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import {
  checkPeerName,
  DEFAULT_TOPOLOGY,
  TopologyError,
  validateTopology,
  type Leg,
  type Segment,
  type Topology,
} from '../engine.js';
import { ANY_LEG_KEYS, LEG_TYPE_NAMES, legKind, type LegConfig, type LegReadContext } from '../legs/registry.js';
import { readHeartbeat } from '../legs/websocket-config.js';
import { DEFAULTS } from './defaults.js';
import { ConfigError } from './error.js';
import {
  clip,
  describe,
  durationOr,
  join,
  list,
  mapping,
  oneOf,
  readable,
  str,
  stringMap,
  type Obj,
} from './fields.js';
import type { ListenAddress, PeerConfig, ProbeConfig } from './types.js';

const TOP_KEYS = [
  'listen',
  'dataDir',
  'heartbeat',
  'reconnect',
  'retention',
  'api',
  'attribution',
  'segments',
  'users',
  'legs',
  'peers',
];

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
  // The websocket legs' default, checked by their rule.
  const heartbeat = readHeartbeat(top.heartbeat, 'heartbeat', DEFAULTS.heartbeat);

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
  const users = top.users === undefined ? [] : readUsers(top.users);
  const peers = top.peers === undefined ? [] : readPeers(top.peers, baseDir);
  const legs = list(top.legs, 'legs').map((raw, i) => readLeg(raw, { path: join('legs', i), baseDir, env, heartbeat }));
  const topology: Topology = {
    segments,
    legs: legs.map((l): Leg => ({
      name: l.name,
      type: l.type,
      segments: [...l.segments],
      intervalMs: l.intervalMs,
      timeoutMs: l.timeoutMs,
      ...(l.user === undefined ? {} : { user: l.user }),
    })),
    // The engine adds each user's own instance, serve.<user> (normalizeTopology).
    ...(users.length > 0 ? { users } : {}),
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
    warnings: legs.flatMap((l, i) => legKind(l.type).warnings(l, join('legs', i))),
    thresholds,
    topology,
    legs,
    peers,
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

/** Users known without a leg (names checked by the engine's rule, duplicates refused there too). */
function readUsers(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new ConfigError('users', `expected a list of user names, got ${describe(value)}`);
  }
  return value.map((u, i) => str(u, join('users', i)));
}

/** Peer probes: a name by the segment-id rule (unique), an http(s) API URL, an optional token file. */
function readPeers(value: unknown, baseDir: string): PeerConfig[] {
  const seen = new Set<string>();
  return list(value, 'peers').map((raw, i) => {
    const path = join('peers', i);
    const p = mapping(raw, path, ['name', 'url', 'tokenFile']);
    const key = join(path, 'name');
    let name: string;
    try {
      name = checkPeerName(str(p.name, key), key);
    } catch (err) {
      throw err instanceof TopologyError ? new ConfigError(key, clip(err.message.slice(key.length + 2))) : err;
    }
    if (seen.has(name)) {
      throw new ConfigError(key, `duplicate peer name "${name}"`);
    }
    seen.add(name);
    const url = readUrl(p.url, join(path, 'url'), ['http:', 'https:']);
    const tokenFile = p.tokenFile === undefined ? null : readable(p.tokenFile, join(path, 'tokenFile'), baseDir);
    return { name, url, tokenFile };
  });
}

/** The keys every leg has; the rest is its type's (legs/registry.ts). */
function readLeg(raw: unknown, ctx: LegReadContext): LegConfig {
  const { path } = ctx;
  const pre = mapping(raw, path, ANY_LEG_KEYS);
  const type = oneOf(pre.type, join(path, 'type'), LEG_TYPE_NAMES);
  const kind = legKind(type);
  const l = mapping(raw, path, kind.keys);
  const name = str(l.name, join(path, 'name'));
  const user = l.user === undefined ? undefined : str(l.user, join(path, 'user'));
  // A user's leg traverses that user's own instance (added by the engine): it may list no other segment.
  const segments =
    user !== undefined && (l.segments === undefined || (Array.isArray(l.segments) && l.segments.length === 0))
      ? []
      : list(l.segments, join(path, 'segments')).map((s, i) => str(s, join(join(path, 'segments'), i)));
  const headers = l.headers === undefined ? {} : stringMap(l.headers, join(path, 'headers'));
  const url = readUrl(l.url, join(path, 'url'), kind.schemes);
  return kind.read(l, { name, url, segments, headers, ...(user === undefined ? {} : { user }) }, ctx);
}

function readUrl(value: unknown, path: string, schemes: readonly string[]): string {
  const text = str(value, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(path, `${describe(text)} is not a URL${urlSlip(text)}`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new ConfigError(
      path,
      `scheme ${url.protocol} is not allowed here (use ${schemes.map((s) => s + '//').join(' or ')})`
    );
  }
  return text;
}

/** Why the URL parser refused `text`, for the two slips it does not say: no host before the port, a port too big. */
function urlSlip(text: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text);
  const authority = m?.[1] ?? '';
  const port = /:(\d+)$/.exec(authority)?.[1];
  if (authority.startsWith(':')) {
    return ' (it has no host)';
  }
  return port !== undefined && Number(port) > 65535 ? ` (port ${port} is above 65535)` : '';
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

// The leg types the probe knows, in one table: for each, its config keys and URL schemes, the reader of
// its own keys, its config warnings and its constructor. config/load.ts reads what every leg has and hands
// the rest to the type's entry; probe.ts builds every leg through it. Adding a type is one module (its
// ProbeLeg and its LegKind) and one entry here; the engine's own table (what the type means for
// detection) must know the type too, which `satisfies` below enforces.
import type { Obj } from '../config/fields.js';
import type { LegConfigBase, ReconnectPolicy } from '../config/types.js';
import type { LegType } from '../engine.js';
import type { StallClock } from '../selfmon.js';
import { httpLegType } from './http.js';
import type { LegHooks, ProbeLeg } from './leg.js';
import { tcpLegType } from './tcp.js';
import { websocketLegType } from './websocket.js';

/** What a type's reader gets besides the leg's mapping. */
export interface LegReadContext {
  /** The leg's key path, e.g. `legs[1]`. */
  path: string;
  /** The config file's directory: relative paths (token files) resolve against it. */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  /** The top-level `heartbeat`, the default of websocket legs. */
  heartbeat: { intervalMs: number; timeoutMs: number };
}

/** The keys config/load.ts reads for every type (already checked). */
export type CommonLegFields = Pick<LegConfigBase, 'name' | 'url' | 'segments' | 'headers' | 'user'>;

/** What the probe hands every leg it builds. */
interface LegDeps {
  reconnect: ReconnectPolicy;
  clock: StallClock;
  hooks: LegHooks;
}

export interface LegKind<C extends LegConfigBase> {
  /**
   * Every key a leg of this type may have, the ones config/load.ts reads for all types included (`name`,
   * `type`, `url`, `segments`, `user`, and `headers` where the type takes it), in the order errors list them.
   */
  readonly keys: readonly string[];
  /** The schemes `url` may have, e.g. `ws:`. */
  readonly schemes: readonly string[];
  /** Reads the type's own keys; a problem is a ConfigError naming its key. */
  read(l: Obj, common: CommonLegFields, ctx: LegReadContext): C;
  /** Config mistakes that do not stop the probe (logged once at start). */
  warnings(cfg: C, path: string): string[];
  create(cfg: C, deps: LegDeps): ProbeLeg;
}

export const LEG_TYPES = {
  websocket: websocketLegType,
  http: httpLegType,
  tcp: tcpLegType,
} satisfies { [T in LegType]: LegKind<LegConfigBase & { type: T }> };

/** A leg's config, whichever its type. */
export type LegConfig = { [T in LegType]: ReturnType<(typeof LEG_TYPES)[T]['read']> }[LegType];

/** In the table's order (the order `type` errors list them). */
export const LEG_TYPE_NAMES = Object.keys(LEG_TYPES) as LegType[];

/** Every key of any type, for the first look at a leg, before its type is known. */
export const ANY_LEG_KEYS = [...new Set(Object.values(LEG_TYPES).flatMap((kind) => kind.keys))];

/** The entry of `type`, typed for any config (the table pairs every type with its own config type). */
export function legKind(type: LegType): LegKind<LegConfig> {
  return LEG_TYPES[type] as LegKind<LegConfig>;
}

export function constructLeg(cfg: LegConfig, deps: LegDeps): ProbeLeg {
  return legKind(cfg.type).create(cfg, deps);
}

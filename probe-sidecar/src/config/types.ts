import type { LegType, Topology } from '../engine.js';
import type { LegConfig } from '../legs/registry.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** What every leg's config holds, whatever its type; each type's config (legs/registry.ts) adds its own. */
export interface LegConfigBase {
  type: LegType;
  name: string;
  url: string;
  /** Segments as configured (without the implicit `probe`, nor the `serve.<user>` of a leg with a user). */
  segments: string[];
  /** The user whose own serve instance (`serve.<user>`) the leg checks; absent: a shared leg. */
  user?: string;
  /** The leg's timing in the engine's terms (its topology `Leg`). */
  intervalMs: number;
  timeoutMs: number;
  /** Sent with every request (empty for a type without the `headers` key). */
  headers: Record<string, string>;
}

export interface ReconnectPolicy {
  initialMs: number;
  maxMs: number;
  /** The wait after a server refused the probe's credentials or version (a new token file is tried at once). */
  refusedMs: number;
}

/** Another probe whose legs this one judges with its own (e.g. the devvm probe: a leg per user's serve). */
export interface PeerConfig {
  /** Its legs are named `<name>.<leg>`; its own host is the segment `probe.<name>`. */
  name: string;
  /** Base URL of its read-only API. */
  url: string;
  /** Absolute path of the file holding the peer's API bearer token; null: the peer has none. */
  tokenFile: string | null;
}

export interface ProbeConfig {
  listen: ListenAddress;
  /** Absolute path. */
  dataDir: string;
  reconnect: ReconnectPolicy;
  retentionMs: number;
  api: { tokenFile: string | null };
  /** Config mistakes that do not stop the probe (e.g. a leg aimed at a t3 server's SPA fallback). */
  warnings: string[];
  /** The engine's thresholds: a round trip this slow is a stall sign; legs' views of one fault this far apart still join. */
  thresholds: { rttStallMs: number; slackMs: number };
  /** Segments and legs in the engine's terms (validated with the engine's validateTopology). */
  topology: Topology;
  legs: LegConfig[];
  peers: PeerConfig[];
}

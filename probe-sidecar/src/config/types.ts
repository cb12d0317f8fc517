import type { Topology } from '../engine.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Where a leg's bearer token for t3 ticket auth comes from (exactly one of the two). */
export type TokenSource = { tokenFile: string } | { tokenEnv: string };

/**
 * A websocket leg's t3 credentials. `recheckMs`: how often a connected leg buys a ticket just to learn
 * whether the server still takes its token (t3 checks credentials only on the upgrade, so a revoked or
 * expired token would otherwise surface only at the next reconnect, in the middle of an incident).
 */
export type LegAuth = TokenSource & { recheckMs: number };

interface LegBase {
  name: string;
  url: string;
  /** Segments as configured (without the implicit `probe`). */
  segments: string[];
  intervalMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
}

export interface WebsocketLegConfig extends LegBase {
  type: 'websocket';
  /** t3: `{"_tag":"Ping"}` text frames; ping: RFC 6455 ping frames. */
  protocol: 't3' | 'ping';
  auth: LegAuth | null;
  /** Offer permessage-deflate, as browsers always do. */
  compression: boolean;
}

export interface HttpLegConfig extends LegBase {
  type: 'http';
}

export type LegConfig = WebsocketLegConfig | HttpLegConfig;

export interface ReconnectPolicy {
  initialMs: number;
  maxMs: number;
  /** The wait after a server refused the probe's credentials or version (a new token file is tried at once). */
  refusedMs: number;
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
}

/**
 * The attribution engine's data model. Pure data: shared by the probe (Node) and the Grafana plugin
 * (browser). All times are Unix milliseconds, all durations milliseconds.
 */

export type SegmentId = string;

/** One piece of the path, ordered from the user's browser to the serve process. */
export interface Segment {
  id: SegmentId;
  name: string;
}

export type LegType = 'websocket' | 'http';

/** One permanent probe connection and the segments it traverses. */
export interface Leg {
  name: string;
  type: LegType;
  /** Segments as configured; the `probe` segment is added by `normalizeTopology`. */
  segments: SegmentId[];
  /** How often the leg checks the server: heartbeat interval (websocket) or request interval (http). */
  intervalMs: number;
  /** How long the leg waits for an answer before it declares failure (the watchdog). */
  timeoutMs: number;
}

export interface Topology {
  segments: Segment[];
  legs: Leg[];
}

/**
 * Why a leg failed. A small fixed set: every disconnect the probe counts carries one of these.
 * `heartbeat_timeout` is the watchdog (for http legs: the request timed out).
 */
export type Reason =
  | 'heartbeat_timeout'
  | 'handshake_timeout'
  | 'refused'
  | 'reset'
  | 'dns'
  | 'tls'
  | 'http_4xx'
  | 'http_5xx'
  | 'unexpected_response'
  | 'server_close'
  | 'abnormal_close'
  | 'protocol_error'
  | 'probe_stall'
  | 'auth_failed'
  | 'version_mismatch'
  | 'error';

/**
 * How a fault shows itself. A `break` (reset, refused, close…) cuts every connection through the broken
 * segment at once, so any leg holding a connection through it would have seen it. A `stall` (no answer)
 * is only noticed by a leg whose watchdog runs out, so a leg with a slower watchdog may miss a short one.
 * A `config` fault is the probe's own: the server answered and refused its credentials or protocol
 * version, which proves the path works and says nothing about any segment of it.
 */
export type FaultKind = 'break' | 'stall' | 'config';

/** What the probe records. Events may arrive out of order; the engine sorts them. */
export type ProbeEvent = DisconnectEvent | ReconnectEvent | HeartbeatEvent | ProbeStallEvent | CoverageEvent;

export interface DisconnectEvent {
  type: 'disconnect';
  /** When the leg declared failure. */
  time: number;
  leg: string;
  reason: Reason;
  /** The last moment the leg heard from the server; the fault began after it. Defaults to `time`. */
  lastHeard?: number;
  detail?: string;
}

export interface ReconnectEvent {
  type: 'reconnect';
  /** When the leg was healthy again. */
  time: number;
  leg: string;
  /**
   * The last moment the leg knew the fault was still present: the end of its last failed attempt, or, when
   * the successful attempt itself took longer than the RTT stall threshold (the path was still stalled
   * while it waited), that attempt's completion. Defaults to the disconnect time.
   */
  lastFailure?: number;
  attempts?: number;
}

/**
 * A round trip worth keeping: (1) a cross-check — the moment any leg fails the probe sends an extra
 * heartbeat on every healthy leg, and a prompt answer while the fault is still present clears the shared
 * segments; (2) a slow round trip (RTT at or above the stall threshold) — a stall shorter than the
 * watchdog, soft evidence against the segments of that leg.
 */
export interface HeartbeatEvent {
  type: 'heartbeat';
  /** When the heartbeat was sent. */
  time: number;
  leg: string;
  /** Round-trip time, or null when no answer came within the leg's timeout. */
  rttMs: number | null;
}

/** The probe's own event loop or wall clock stalled: its timers fired late, every leg looks dead. */
export interface ProbeStallEvent {
  type: 'probe_stall';
  /** When the stall ended (the probe noticed it). */
  time: number;
  durationMs: number;
}

/**
 * The probe started or stopped probing, or says it is still alive (written periodically, so a run that
 * ends in a crash still covers the time up to its last sign of life). Outside coverage there is no data.
 */
export interface CoverageEvent {
  type: 'probe_start' | 'probe_stop' | 'probe_alive';
  time: number;
  /** Legs probed from this start on; omitted: every leg of the topology. */
  legs?: string[];
}

/** One leg's continuous failure. */
export interface Outage {
  leg: string;
  /** The last moment the leg heard from the server: the fault began after it. */
  start: number;
  /** When the leg declared failure. */
  detectedAt: number;
  /** When it was healthy again; null while it is still down. */
  end: number | null;
  reason: Reason;
  kind: FaultKind;
  /** The last moment the fault was seen still present (a failed attempt, or detection). */
  lastFailure: number;
}

export type SegmentState = 'suspect' | 'clear' | 'unknown' | 'unmonitored';

/** Why a leg did or did not clear a segment for an incident. */
export interface LegEvidence {
  leg: string;
  /** failed: the leg had an outage in the incident; clear: healthy and would have noticed; blind: healthy but
   *  could have missed it (fault too short for its watchdog); nodata: no data for the window. */
  role: 'failed' | 'clear' | 'blind' | 'nodata';
  reasons: Reason[];
  note: string;
}

export interface Incident {
  id: string;
  start: number;
  /** null while any of its outages is still open. */
  end: number | null;
  legs: string[];
  reasons: Reason[];
  kind: FaultKind;
  /** Segment ids; provisional while `end` is null. */
  suspects: SegmentId[];
  /** The shortest the fault can have lasted, from what the failing legs saw. */
  minFaultMs: number;
  evidence: LegEvidence[];
  summary: string;
}

export type VerdictKind = 'incident' | 'exonerated' | 'unknown';

export type HintKind =
  | 'devvm_pressure'
  | 'rtt_spike'
  | 'probe_stall'
  | 'probe_config'
  | 'known_quic_churn'
  | 'known_cloudflared_restart'
  | 'known_devvm_storm'
  | 'known_serve_down'
  | 'missing_data';

export interface Hint {
  kind: HintKind;
  /** One sentence in plain words. */
  text: string;
  /** Runbook section this hint points to, e.g. "§3". */
  runbook?: string;
}

export interface WindowLegSummary {
  leg: string;
  hasData: boolean;
  /** Disconnects in the window, by reason. */
  drops: Partial<Record<Reason, number>>;
  /** Connected at the end of the window (null: unknown). */
  connected: boolean | null;
  rttP99Ms: number | null;
  note: string;
  /** Why the leg has no data, when the probe knows: it stalled itself, or a server refused its config. */
  noDataCause?: 'probe_stall' | 'probe_config';
}

export interface Verdict {
  verdict: VerdictKind;
  from: number;
  to: number;
  suspects: SegmentId[];
  /** Every segment's state for the path diagram. */
  segments: Array<{ id: SegmentId; name: string; state: SegmentState }>;
  incidents: Incident[];
  legs: WindowLegSummary[];
  hints: Hint[];
  /** The verdict in one plain sentence. */
  headline: string;
  /** Index into ATTRIBUTION_TABLE of the runbook row that matches, or null. */
  runbookRow: number | null;
}

/** Pressure stall information for the serve host, as rates (seconds stalled per second, 0..1). */
export interface Pressure {
  ioFull?: number | null;
  ioSome?: number | null;
  memoryFull?: number | null;
  memorySome?: number | null;
  cpuSome?: number | null;
  swapFreeBytes?: number | null;
}

export interface Thresholds {
  /** A heartbeat round trip above this is a stall sign (soft evidence). */
  rttStallMs: number;
  /** PSI full rate above this counts as host pressure. */
  psiFull: number;
  /** PSI some rate above this counts as host pressure. */
  psiSome: number;
  /** Outages of different legs this close together form one incident. */
  slackMs: number;
}

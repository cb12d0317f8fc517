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

export type LegType = 'websocket' | 'http' | 'tcp';

/** One permanent probe connection and the segments it traverses. */
export interface Leg {
  name: string;
  type: LegType;
  /**
   * Segments as configured; `normalizeTopology` adds the host of the probe that runs the leg (`probe`, or
   * `probe.<peer>`) and, for a leg with a `user`, that user's own instance `serve.<user>` (such a leg may
   * list no segment at all).
   */
  segments: SegmentId[];
  /** The user whose own serve instance (`serve.<user>`) this leg checks; absent: a shared leg. */
  user?: string;
  /** The peer probe that runs this leg (its host is the segment `probe.<peer>`); absent: this probe. */
  probe?: string;
  /** How often the leg checks the server: heartbeat interval (websocket) or check interval (http, tcp). */
  intervalMs: number;
  /** How long the leg waits for an answer before it declares failure (the watchdog). */
  timeoutMs: number;
}

export interface Topology {
  segments: Segment[];
  legs: Leg[];
  /**
   * Users known without a leg: each has its own serve instance, the segment `serve.<user>`, which no leg
   * then watches. After `normalizeTopology`: every user, these first, then those of the legs.
   */
  users?: string[];
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

interface DisconnectEvent {
  type: 'disconnect';
  /** When the leg declared failure. */
  time: number;
  leg: string;
  reason: Reason;
  /** The last moment the leg heard from the server; the fault began after it. Defaults to `time`. */
  lastHeard?: number;
  detail?: string;
}

interface ReconnectEvent {
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
interface ProbeStallEvent {
  type: 'probe_stall';
  /** When the stall ended (the probe noticed it). */
  time: number;
  durationMs: number;
  /** The peer probe that stalled; absent: this probe. */
  probe?: string;
}

/**
 * The probe started or stopped probing, or says it is still alive (written periodically, so a run that
 * ends in a crash still covers the time up to its last sign of life). Outside coverage there is no data.
 */
interface CoverageEvent {
  type: 'probe_start' | 'probe_stop' | 'probe_alive';
  time: number;
  /** Legs probed from this start on; omitted: every leg of that probe. */
  legs?: string[];
  /** The peer probe this is about; absent: this probe. */
  probe?: string;
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
  /** The judgement as data. */
  why: EvidenceWhy;
  /** `why` in words (wording.ts). */
  note: string;
}

/**
 * Why a leg has its role in an incident, as data: each code with the numbers its sentence quotes. Durations
 * in milliseconds.
 */
export type EvidenceWhy =
  // A failing leg (role failed).
  /** It dropped, for the evidence's `reasons`. */
  | { code: 'dropped' }
  /** A server refused the probe's own credentials or protocol version (`reasons[0]`). */
  | { code: 'refused' }
  /** Its round trips slowed past the stall threshold, to `longestMs` at worst, without dropping. */
  | { code: 'slowed_without_dropping'; longestMs: number }
  // A healthy leg, judged against a path fault.
  /** nodata: the probe was not probing it for the whole incident. */
  | { code: 'not_probed' }
  /** blind: the probe itself was stalled, so nothing it saw counts. */
  /** `probe`: the peer probe that stalled; absent: this probe. */
  | { code: 'probe_stalled'; probe?: string }
  /** blind: it was down for another fault (`reason`) at the time. */
  | { code: 'down_for_another_fault'; reason: Reason }
  /** blind: it stayed up, but its round trips slowed to `worstMs`: it likely felt the same fault. */
  | { code: 'round_trips_slowed'; worstMs: number }
  /** clear: it stayed up through a stall of at least `minFaultMs`, longer than it needs to notice one. */
  | { code: 'stayed_up_through_stall'; minFaultMs: number; neededMs: number }
  /** clear: its connection stayed open through the break (a held connection is cut at once). */
  | { code: 'connection_held_through_break' }
  /** clear: it stayed up through a break of at least `minFaultMs`, checking every `checkEveryMs`. */
  | { code: 'stayed_up_through_break'; minFaultMs: number; checkEveryMs: number }
  /** clear: it answered a cross-check in `rttMs` while the fault was present. */
  | { code: 'answered_cross_check'; rttMs: number }
  /** blind: the stall may have been as short as `minFaultMs`, under the `neededMs` it needs to notice one. */
  | { code: 'stall_under_watchdog'; minFaultMs: number; neededMs: number }
  /** blind: it checks only every `checkEveryMs` and may have missed a `minFaultMs` break. */
  | { code: 'break_between_checks'; minFaultMs: number; checkEveryMs: number }
  // A healthy leg, judged against slow round trips.
  /** clear: its round trips stayed fast through the slowdown. */
  | { code: 'fast_through_slowdown' }
  /** blind: too few round trips to rule the slowdown in or out. */
  | { code: 'too_few_round_trips' }
  // A leg, from Prometheus' aggregates over a range.
  /** failed or nodata: what the leg's counters say over the range (its `WindowLegSummary`). */
  | { code: 'range_summary'; summary: LegSummaryWhy }
  /** blind: it stayed up, but had slow round trips. */
  | { code: 'slow_round_trips_in_range' }
  /** clear: it stayed up, and would have noticed the same fault. */
  | { code: 'would_have_noticed' }
  /** blind: it stayed up, but could have missed a fault this short. */
  | { code: 'could_have_missed' };

/** What a leg's data says over a window, as data: `WindowLegSummary.note` is this in words (wording.ts). */
export type LegSummaryWhy =
  | { code: 'stayed_up' }
  | { code: 'drops'; count: number }
  /** From events: down since before the window, no drop in it. */
  | { code: 'down_since_before' }
  /** From aggregates: t3probe_connected dipped to 0, no drop counted. */
  | { code: 'was_down' }
  /** No data: the leg's probe (`probe`: a peer; absent: this one) stalled for `stallMs` in the window. */
  | { code: 'probe_stalled'; stallMs: number; probe?: string }
  /** No data: a server refused the probe's own config for this leg, so nothing on its path was watched. */
  | { code: 'refused' }
  /** No data: the probe was not probing the leg for the whole window. */
  | { code: 'not_covered' }
  /** No data: these series are missing from Prometheus. */
  | { code: 'missing'; missing: MissingSeries[] };

export type MissingSeries = 'disconnect_counter' | 'connected_series' | 'probe_scrape';

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
  /**
   * Set when this incident's failures came at the same time as others' that no one fault explains with
   * them: the engine split them, one incident per fault. The failing legs of the other incidents.
   */
  concurrentLegs?: string[];
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
  /** What the leg's data says, as data. */
  why: LegSummaryWhy;
  /** `why` in words (wording.ts). */
  note: string;
  /** Why the leg has no data, when the probe knows: it stalled itself, or a server refused its config. */
  noDataCause?: 'probe_stall' | 'probe_config';
}

export interface Verdict {
  verdict: VerdictKind;
  /** The user whose report this verdict is for (only their own instance and the shared path); absent: all. */
  user?: string;
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

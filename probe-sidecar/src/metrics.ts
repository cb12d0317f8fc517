// The probe's Prometheus metrics (names fixed by the design), on a registry of their own. Every label
// combination that can occur is created up front, so a rate() over a fresh counter starts at 0.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ALL_REASONS, normalizeTopology, type Topology } from './engine.js';
import { LegHistogram } from './leg-histogram.js';
import { TICK_MS } from './selfmon.js';

/** 1 ms … 30 s; the dashboard's "slow round trip" panel relies on le="2.5". */
const RTT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];
/** Event-loop lag per 100 ms tick: a histogram, so both the typical lag and rare long stalls show. */
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export const STORE_OPS = ['append', 'fsync', 'read', 'recover', 'retention'] as const;
export type StoreOp = (typeof STORE_OPS)[number];

export class ProbeMetrics {
  readonly registry = new Registry();
  readonly connected: Gauge<'leg'>;
  readonly misconfigured: Gauge<'leg'>;
  readonly disconnects: Counter<'leg' | 'reason'>;
  readonly rtt: LegHistogram;
  readonly incidents: Counter<'suspect'>;
  readonly lag: Histogram;
  readonly stalls: Counter;
  readonly storeErrors: Counter<'op'>;
  readonly legInfo: Gauge<'leg' | 'user'>;
  readonly peerUp: Gauge<'peer'>;
  readonly peerClockOffset: Gauge<'peer'>;
  readonly peerPullFailures: Counter<'peer'>;

  constructor(topology: Topology, version: string, peers: readonly string[] = []) {
    const registers = [this.registry];
    this.connected = new Gauge({
      name: 't3probe_connected',
      help: 'Whether the leg is connected (1) or not (0).',
      labelNames: ['leg'],
      registers,
    });
    this.misconfigured = new Gauge({
      name: 't3probe_leg_misconfigured',
      help: "Whether a server refuses the leg's own credentials or protocol version now (1: auth_failed or version_mismatch), not the path.",
      labelNames: ['leg'],
      registers,
    });
    this.disconnects = new Counter({
      name: 't3probe_disconnects_total',
      help: 'Disconnects per leg and reason (heartbeat_timeout: the watchdog fired; for http legs the request timed out).',
      labelNames: ['leg', 'reason'],
      registers,
    });
    this.rtt = new LegHistogram(
      't3probe_rtt_seconds',
      'Heartbeat round trip (websocket legs), request latency (http legs) or connect latency (tcp legs).',
      RTT_BUCKETS,
      this.registry
    );
    this.incidents = new Counter({
      name: 't3probe_incidents_total',
      help: 'Closed incidents, counted once per suspect segment.',
      labelNames: ['suspect'],
      registers,
    });
    this.lag = new Histogram({
      name: 't3probe_event_loop_lag_seconds',
      help: `The probe's own event-loop lag, sampled every ${TICK_MS} ms.`,
      buckets: LAG_BUCKETS,
      registers,
    });
    this.stalls = new Counter({
      name: 't3probe_probe_stalls_total',
      help: 'Stalls of the probe itself (event loop or wall clock).',
      registers,
    });
    this.storeErrors = new Counter({
      name: 't3probe_store_errors_total',
      help: 'Durable store errors by operation.',
      labelNames: ['op'],
      registers,
    });
    this.peerUp = new Gauge({
      name: 't3probe_peer_up',
      help: 'Whether the peer probe was pulled within the last 5 s (1); 0: its legs have no data.',
      labelNames: ['peer'],
      registers,
    });
    this.peerClockOffset = new Gauge({
      name: 't3probe_peer_clock_offset_seconds',
      help: "The peer probe's clock minus this probe's, measured on every pull (its events are moved by it).",
      labelNames: ['peer'],
      registers,
    });
    this.peerPullFailures = new Counter({
      name: 't3probe_peer_pull_failures_total',
      help: 'Pulls of a peer probe that failed (unreachable, timed out, refused, malformed answer).',
      labelNames: ['peer'],
      registers,
    });
    for (const peer of peers) {
      this.peerUp.set({ peer }, 0);
      this.peerClockOffset.set({ peer }, 0);
      this.peerPullFailures.inc({ peer }, 0);
    }
    this.legInfo = new Gauge({
      name: 't3probe_leg_info',
      help: "A leg that checks one user's own serve instance (serve.<user>), labelled with that user; always 1. Join it for per-user alerts: * on (leg) group_left (user) t3probe_leg_info.",
      labelNames: ['leg', 'user'],
      registers,
    });
    const buildInfo = new Gauge({
      name: 't3probe_build_info',
      help: 'The probe build; always 1.',
      labelNames: ['version'],
      registers,
    });
    buildInfo.set({ version }, 1);

    for (const leg of topology.legs) {
      this.connected.set({ leg: leg.name }, 0);
      this.misconfigured.set({ leg: leg.name }, 0);
      this.rtt.leg(leg.name);
      for (const reason of ALL_REASONS) {
        this.disconnects.inc({ leg: leg.name, reason }, 0);
      }
    }
    this.addTopology(topology);
    for (const op of STORE_OPS) {
      this.storeErrors.inc({ op }, 0);
    }
    // prom-client samples event-loop delay every 10 ms by default, which at 1,000 legs cost the probe a
    // quarter more CPU than the legs themselves (bench scale); the self-monitor's 100 ms tick costs nothing.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: TICK_MS });
    // prom-client names three gauges `_total`, which `promtool check metrics` rejects; the same numbers
    // remain by type in nodejs_active_handles / _requests / _resources.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ]) {
      this.registry.removeSingleMetric(name);
    }
  }

  /**
   * The series a topology's segments and legs need: every segment as a suspect at 0 (`probe`, on every leg,
   * a suspect even when the config does not list it; each user's own instance `serve.<user>`; what peers add
   * when they answer) and t3probe_leg_info for its users' legs.
   */
  addTopology(topology: Topology): void {
    for (const s of normalizeTopology(topology).segments) {
      this.incidents.inc({ suspect: s.id }, 0);
    }
    this.addLegInfo(topology);
  }

  /** t3probe_leg_info at 1 for every leg with a user (peers' legs too, when they join): one series a leg. */
  private addLegInfo(topology: Topology): void {
    for (const leg of topology.legs) {
      if (leg.user !== undefined) {
        this.legInfo.set({ leg: leg.name, user: leg.user }, 1);
      }
    }
  }
}

// Wires the parts together: legs → events → store, metrics and live attribution; the API serves them.
import type { AddressInfo } from 'node:net';
import { createApiServer } from './api/server.js';
import { Attributor } from './attributor.js';
import type { ProbeConfig } from './config/types.js';
import type { Incident, ProbeEvent } from './engine.js';
import type { LegHooks, ProbeLeg } from './legs/leg.js';
import { constructLeg, type LegConfig } from './legs/registry.js';
import { errorFields, log as defaultLog, type LogFn } from './log.js';
import { ProbeMetrics } from './metrics.js';
import { SelfMonitor } from './selfmon.js';
import { Store } from './store/store.js';

/** How often the probe writes `probe_alive`, so a run that ends in a crash still covers its last minute. */
const ALIVE_EVERY_MS = 60_000;
/** History loaded into live attribution at start: as much as it ever holds for an open incident. */
const HISTORY_MS = 3_600_000;

interface ProbeOptions {
  version: string;
  apiToken: string | null;
  log?: LogFn;
}

export class Probe {
  readonly metrics: ProbeMetrics;
  private readonly store: Store;
  private readonly attributor: Attributor;
  private readonly selfmon: SelfMonitor;
  private readonly legs: ProbeLeg[];
  private readonly server;
  private readonly log: LogFn;
  private readonly crossChecking = new Set<string>();
  private aliveTimer: NodeJS.Timeout | null = null;
  private ready = false;

  constructor(
    private readonly cfg: ProbeConfig,
    opts: ProbeOptions
  ) {
    this.log = opts.log ?? defaultLog;
    this.metrics = new ProbeMetrics(cfg.topology, opts.version);
    this.store = new Store(cfg.dataDir, {
      retentionMs: cfg.retentionMs,
      onError: (op, err, fields) => {
        this.metrics.storeErrors.inc({ op });
        this.log('error', 'store error', { op, ...fields, ...errorFields(err) });
      },
      onRecovered: (file, droppedBytes) => {
        this.metrics.storeErrors.inc({ op: 'recover' });
        this.log('warn', 'dropped a torn record at the end of a store file', { file, droppedBytes });
      },
    });
    this.attributor = new Attributor(cfg.topology, {
      onClosed: (i) => this.incidentClosed(i),
      thresholds: cfg.thresholds,
    });
    this.selfmon = new SelfMonitor({
      onLag: (ms) => this.metrics.lag.observe(ms / 1000),
      onStall: ({ time, durationMs }) => {
        this.metrics.stalls.inc();
        this.record({ type: 'probe_stall', time, durationMs });
      },
    });
    this.legs = cfg.legs.map((l) => this.createLeg(l));
    this.server = createApiServer({
      version: opts.version,
      topology: cfg.topology,
      thresholds: cfg.thresholds,
      retentionMs: cfg.retentionMs,
      token: opts.apiToken,
      registry: this.metrics.registry,
      legs: () => this.legs.map((l) => l.state()),
      readEvents: (from, to) => this.store.readEvents(from, to),
      readIncidents: (from, to) => this.store.readIncidents(from, to),
      openIncidents: () => this.attributor.openIncidents(),
      ready: () => this.ready,
      log: this.log,
    });
  }

  /** Opens the store, listens, then starts probing. Rejects if the address cannot be bound. */
  async start(): Promise<AddressInfo> {
    await this.store.open();
    const now = Date.now();
    const history = await this.store.readEvents(now - HISTORY_MS, now);
    const stored = await this.store.readIncidents(now - HISTORY_MS, now);
    this.attributor.load(
      history,
      stored.map((i) => i.id)
    );
    const address = await new Promise<AddressInfo>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.cfg.listen.port, this.cfg.listen.host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
    this.record({ type: 'probe_start', time: Date.now(), legs: this.cfg.legs.map((l) => l.name) });
    this.selfmon.start();
    for (const leg of this.legs) {
      leg.start();
    }
    this.aliveTimer = setInterval(
      () => this.store.appendEvent({ type: 'probe_alive', time: Date.now() }),
      ALIVE_EVERY_MS
    );
    this.ready = true;
    this.log('info', 'probe started', {
      listen: `${address.address}:${address.port}`,
      legs: this.cfg.legs.length,
      dataDir: this.cfg.dataDir,
    });
    return address;
  }

  /** Closes the legs, records probe_stop, settles incidents, flushes the store. */
  async stop(): Promise<void> {
    this.ready = false;
    if (this.aliveTimer) {
      clearInterval(this.aliveTimer);
    }
    this.selfmon.stop();
    await Promise.all(this.legs.map((l) => l.stop()));
    this.record({ type: 'probe_stop', time: Date.now() });
    this.attributor.evaluate({ settle: true });
    this.attributor.stop();
    await this.store.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.log('info', 'probe stopped');
  }

  private record(event: ProbeEvent): void {
    this.store.appendEvent(event);
    this.attributor.add(event);
    if (event.type !== 'heartbeat') {
      this.log(event.type === 'disconnect' || event.type === 'probe_stall' ? 'warn' : 'info', event.type, { event });
    }
  }

  private createLeg(cfg: LegConfig): ProbeLeg {
    const leg = cfg.name;
    // Series resolved once: the RTT hook runs on every heartbeat of every leg.
    const rtt = this.metrics.rtt.leg(leg);
    const connected = this.metrics.connected.labels({ leg });
    const misconfigured = this.metrics.misconfigured.labels({ leg });
    const hooks: LegHooks = {
      disconnect: (e) => {
        this.metrics.disconnects.inc({ leg, reason: e.reason });
        this.record({ type: 'disconnect', leg, ...e });
        this.crossCheck(leg);
      },
      // A successful attempt that itself waited past the stall threshold saw the fault until it completed.
      reconnect: ({ attemptMs, ...e }) =>
        this.record({
          type: 'reconnect',
          leg,
          ...e,
          lastFailure: attemptMs >= this.cfg.thresholds.rttStallMs ? e.time : e.lastFailure,
        }),
      connected: (up) => connected.set(up ? 1 : 0),
      misconfigured: (on) => misconfigured.set(on ? 1 : 0),
      rtt: (ms) => {
        rtt(ms / 1000);
        // A stall shorter than the watchdog: soft evidence the engine reads from the event stream.
        if (ms >= this.cfg.thresholds.rttStallMs) {
          this.record({ type: 'heartbeat', time: Date.now() - Math.round(ms), leg, rttMs: Math.round(ms) });
        }
      },
    };
    return constructLeg(cfg, { reconnect: this.cfg.reconnect, clock: this.selfmon, hooks });
  }

  /**
   * A leg just failed: one extra heartbeat on every other connected leg. A healthy round trip during the
   * fault proves the segments that leg shares with the failed one. At most one check per leg in flight.
   */
  private crossCheck(failed: string): void {
    for (const leg of this.legs) {
      if (leg.name === failed || !leg.isConnected() || this.crossChecking.has(leg.name)) {
        continue;
      }
      this.crossChecking.add(leg.name);
      const time = Date.now();
      void leg.crossCheck().then((rttMs) => {
        this.crossChecking.delete(leg.name);
        this.record({
          type: 'heartbeat',
          time,
          leg: leg.name,
          rttMs: rttMs === null ? null : Math.round(rttMs * 1000) / 1000,
        });
      });
    }
  }

  private incidentClosed(incident: Incident): void {
    this.log('info', 'incident', { incident });
    for (const suspect of incident.suspects) {
      this.metrics.incidents.inc({ suspect });
    }
    this.store.appendIncident(incident);
  }
}

// Wires the parts together: legs (and peers' legs) → events → store, metrics and live attribution; the API
// serves them.
import type { AddressInfo } from 'node:net';
import { createApiServer } from './api/server.js';
import { Attributor } from './attributor.js';
import type { PeerConfig, ProbeConfig } from './config/types.js';
import { validateTopology, type Incident, type ProbeEvent, type Topology } from './engine.js';
import type { LegHooks, ProbeLeg } from './legs/leg.js';
import { constructLeg, type LegConfig } from './legs/registry.js';
import { errorFields, log as defaultLog, type LogFn } from './log.js';
import { ProbeMetrics } from './metrics.js';
import { PeerLink } from './peers/peer-link.js';
import type { PeerPart } from './peers/translate.js';
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
  private readonly peers: PeerLink[];
  /** The config's topology, and every peer's legs once the peer has answered. */
  private topology: Topology;
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
    this.topology = cfg.topology;
    this.metrics = new ProbeMetrics(
      cfg.topology,
      opts.version,
      cfg.peers.map((p) => p.name)
    );
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
    this.peers = [];
    const topologyNow = (): Topology => this.topology;
    this.server = createApiServer({
      version: opts.version,
      // Read on every request: peers' legs join when the peers first answer.
      get topology() {
        return topologyNow();
      },
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
    this.peers.push(...this.cfg.peers.map((p) => this.createPeer(p, history)));
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
    for (const peer of this.peers) {
      peer.start();
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
    this.peers.forEach((p) => p.stop());
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

  private createPeer(cfg: PeerConfig, history: readonly ProbeEvent[]): PeerLink {
    const { name } = cfg;
    const prefix = `${name}.`;
    const about = history.filter((e) => ('leg' in e ? e.leg.startsWith(prefix) : e.probe === name));
    const up = this.metrics.peerUp.labels({ peer: name });
    const offset = this.metrics.peerClockOffset.labels({ peer: name });
    const failures = this.metrics.peerPullFailures.labels({ peer: name });
    return new PeerLink(cfg, {
      log: this.log,
      recordedUntil: about.length > 0 ? Math.max(...about.map((e) => e.time)) : null,
      hooks: {
        topology: (part) => this.joinPeer(name, part),
        events: (events) => events.forEach((e) => this.record(e)),
        pulled: (s) => {
          up.set(s.up ? 1 : 0);
          if (s.offsetMs !== null) {
            offset.set(s.offsetMs / 1000);
          }
          if (!s.ok) {
            failures.inc();
          }
        },
      },
    });
  }

  /** A peer's legs (renamed `<peer>.<leg>`), segments and users join the engine's topology. */
  private joinPeer(name: string, part: PeerPart): void {
    const known = new Set(this.topology.segments.map((s) => s.id));
    const added = part.segments.filter((s) => !known.has(s.id));
    // Before this probe's own host, which the engine keeps last.
    const at = this.topology.segments.findIndex((s) => s.id === 'probe');
    const segments = [...this.topology.segments];
    segments.splice(at < 0 ? segments.length : at, 0, ...added);
    const users = [...new Set([...(this.cfg.topology.users ?? []), ...part.users, ...(this.topology.users ?? [])])];
    const next: Topology = {
      segments,
      legs: [...this.topology.legs.filter((l) => l.probe !== name), ...part.legs],
      ...(users.length > 0 ? { users } : {}),
    };
    try {
      validateTopology(next);
    } catch (err) {
      this.log('error', "peer's topology does not fit this probe's: its legs are not judged", {
        peer: name,
        ...errorFields(err),
      });
      return;
    }
    this.topology = next;
    this.attributor.setTopology(next);
    this.metrics.addTopology(next);
    this.log('info', 'peer legs joined', { peer: name, legs: part.legs.map((l) => l.name) });
  }

  private incidentClosed(incident: Incident): void {
    this.log('info', 'incident', { incident });
    for (const suspect of incident.suspects) {
      this.metrics.incidents.inc({ suspect });
    }
    this.store.appendIncident(incident);
  }
}

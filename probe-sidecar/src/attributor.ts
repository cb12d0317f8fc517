// Live attribution: recent events in memory, incidents rebuilt with the engine after every event (coalesced
// per tick). An incident whose end is null is open (provisional suspects); once it has been closed for
// longer than the engine's clustering slack (so a late leg cannot still join it) it is final: handed to
// `onClosed` exactly once.
import {
  buildIncidents,
  DEFAULT_THRESHOLDS,
  type Incident,
  type ProbeEvent,
  type Thresholds,
  type Topology,
} from './engine.js';

export interface AttributorOptions {
  onClosed: (incident: Incident) => void;
  now?: () => number;
  /** How much history stays in memory (default 6 h); an open outage's events are kept whatever their age. */
  horizonMs?: number;
  thresholds?: Partial<Thresholds>;
}

export class Attributor {
  private events: ProbeEvent[] = [];
  private incidents: Incident[] = [];
  private readonly final = new Map<string, number>();
  private readonly now: () => number;
  private readonly horizonMs: number;
  private readonly slackMs: number;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly topology: Topology,
    private readonly opts: AttributorOptions
  ) {
    this.now = opts.now ?? Date.now;
    this.horizonMs = opts.horizonMs ?? 6 * 3_600_000;
    this.slackMs = opts.thresholds?.slackMs ?? DEFAULT_THRESHOLDS.slackMs;
  }

  /** History from the store at start; incidents already stored are not handed out again. */
  load(events: readonly ProbeEvent[], storedIncidentIds: Iterable<string>): void {
    this.events.push(...events);
    for (const id of storedIncidentIds) {
      this.final.set(id, this.now());
    }
    this.evaluate();
  }

  add(event: ProbeEvent): void {
    this.events.push(event);
    if (this.scheduled) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.evaluate();
    });
  }

  /** Incidents not yet final: open ones, and closed ones still inside the slack. */
  openIncidents(): Incident[] {
    return this.incidents.filter((i) => !this.final.has(i.id));
  }

  /** Rebuilds incidents now; hands out those that became final. `settle` (at shutdown): every closed one is. */
  evaluate(opts: { settle?: boolean } = {}): void {
    const now = this.now();
    this.prune(now);
    this.incidents = buildIncidents(this.events, this.topology, { now, thresholds: this.opts.thresholds });
    const slack = opts.settle ? 0 : this.slackMs;
    for (const inc of this.incidents) {
      if (inc.end !== null && now >= inc.end + slack && !this.final.has(inc.id)) {
        this.final.set(inc.id, inc.end);
        this.opts.onClosed(inc);
      }
    }
    // Open incidents change with time alone (durations grow, slack runs out): look again every second.
    const unsettled = this.openIncidents().length > 0;
    if (unsettled && !this.timer) {
      this.timer = setInterval(() => this.evaluate(), 1000);
      this.timer.unref();
    } else if (!unsettled && this.timer) {
      this.stop();
    }
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
    this.timer = null;
  }

  /** Drops old events, but never those of an incident still open, nor the current run's start. */
  private prune(now: number): void {
    const openStart = Math.min(...this.openIncidents().map((i) => i.start));
    const cutoff = Math.min(now - this.horizonMs, openStart - this.slackMs);
    const lastStart = this.events.reduce<ProbeEvent | null>(
      (a, e) => (e.type === 'probe_start' && (!a || e.time >= a.time) ? e : a),
      null
    );
    this.events = this.events.filter((e) => e.time >= cutoff || e === lastStart);
    for (const [id, end] of this.final) {
      if (end < cutoff) {
        this.final.delete(id);
      }
    }
  }
}

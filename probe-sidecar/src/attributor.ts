// Live attribution: recent events in memory, incidents rebuilt with the engine after every event (coalesced
// per tick). An incident whose end is null is open (provisional suspects); once it has been closed for
// longer than the engine's clustering slack (so a late leg cannot still join it) it is final: handed to
// `onClosed` exactly once. Final incidents live in the store, so memory holds only what can still change:
// the last few minutes, whole incidents still in play, at most `holdMs`, and the disconnect of every leg
// still down, so the cost of a rebuild stays flat however long the probe runs.
import {
  buildIncidents,
  DEFAULT_THRESHOLDS,
  type Incident,
  type ProbeEvent,
  type Thresholds,
  type Topology,
} from './engine.js';

/**
 * Events younger than this are always kept: room for a late leg or a slow round trip to join an incident.
 * An event reaches the probe at most one interval + timeout after the moment it describes, so twice the
 * slowest leg's is ample; never under two minutes. Each rebuild reads all of it, every second while any
 * incident is open, so a longer window costs CPU and garbage when a leg flaps (it was a fixed 10 minutes).
 */
const MIN_RECENT_MS = 2 * 60_000;

export function recentWindowMs(topology: Topology): number {
  return Math.max(MIN_RECENT_MS, ...topology.legs.map((l) => 2 * (l.intervalMs + l.timeoutMs)));
}
/** However long an incident stays open, no more history than this is held for it. */
const HOLD_MS = 3_600_000;

interface AttributorOptions {
  onClosed: (incident: Incident) => void;
  now?: () => number;
  /** The most history held for an incident still open (default 1 h); a down leg's disconnect is kept regardless. */
  holdMs?: number;
  thresholds?: Partial<Thresholds>;
}

export class Attributor {
  private events: ProbeEvent[] = [];
  private incidents: Incident[] = [];
  private readonly final = new Map<string, number>();
  private readonly now: () => number;
  private readonly holdMs: number;
  /** Where the last prune cut: a slow-round-trip incident before it may have lost its outage, so it is not new. */
  private cutAt = Number.NEGATIVE_INFINITY;
  private readonly slackMs: number;
  private recentMs: number;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private topology: Topology,
    private readonly opts: AttributorOptions
  ) {
    this.now = opts.now ?? Date.now;
    this.holdMs = opts.holdMs ?? HOLD_MS;
    this.slackMs = opts.thresholds?.slackMs ?? DEFAULT_THRESHOLDS.slackMs;
    this.recentMs = recentWindowMs(topology);
  }

  /** A peer's legs joined (or changed): rebuilt with them from the next event on. */
  setTopology(topology: Topology): void {
    this.topology = topology;
    this.recentMs = recentWindowMs(topology);
    this.evaluate();
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
    this.incidents = buildIncidents(this.events, this.topology, { now, thresholds: this.opts.thresholds });
    const slack = opts.settle ? 0 : this.slackMs;
    for (const inc of this.incidents) {
      const orphan = inc.reasons.length === 0 && inc.start < this.cutAt;
      if (inc.end !== null && now >= inc.end + slack && !this.final.has(inc.id) && !orphan) {
        this.final.set(inc.id, inc.end);
        this.opts.onClosed(inc);
      }
    }
    this.prune(now);
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

  /**
   * Drops what can no longer change an incident: events before the recent window, except that an incident
   * still open or ending after the cut is kept whole (back to at most holdMs), and one closed but not yet
   * handed out is kept whole. The current run's start and the disconnect of every leg still down are kept
   * whatever their age.
   */
  private prune(now: number): void {
    const floor = now - this.holdMs;
    let cut = now - this.recentMs;
    for (const inc of this.incidents) {
      const closedNotFinal = inc.end !== null && !this.final.has(inc.id);
      if (closedNotFinal) {
        // About to be handed out: whole, whatever its age.
        cut = Math.min(cut, inc.start - this.slackMs);
      } else if (inc.end === null || inc.end >= cut) {
        cut = Math.min(cut, Math.max(inc.start - this.slackMs, floor));
      }
    }
    const pinned = new Set<ProbeEvent>();
    const down = new Map<string, ProbeEvent>();
    let lastStart: ProbeEvent | null = null;
    for (const e of this.events) {
      if (e.type === 'probe_start' && (!lastStart || e.time >= lastStart.time)) {
        lastStart = e;
      } else if (e.type === 'disconnect' && !down.has(e.leg)) {
        down.set(e.leg, e);
      } else if (e.type === 'reconnect' && (down.get(e.leg)?.time ?? Infinity) <= e.time) {
        down.delete(e.leg);
      }
    }
    if (lastStart) {
      pinned.add(lastStart);
    }
    down.forEach((e) => pinned.add(e));
    if (this.events.some((e) => e.time < cut && !pinned.has(e))) {
      this.events = this.events.filter((e) => e.time >= cut || pinned.has(e));
      this.cutAt = Math.max(this.cutAt, cut);
    }
    for (const [id, end] of this.final) {
      if (end < cut) {
        this.final.delete(id);
      }
    }
  }

  /** How many events are held (for tests and the soak). */
  heldEvents(): number {
    return this.events.length;
  }
}

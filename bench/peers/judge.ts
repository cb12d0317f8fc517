/**
 * Judging one fault, for each tool, from what the tool itself shows: pure functions, no I/O.
 *
 * blackbox_exporter attributes nothing: it reports `probe_success` per target. "Attributed" for it is what
 * an on-call person gets by reading the failing probes against the runbook's table, each probe standing
 * for the leg whose URL or entry point it probes (`blackboxRow`).
 */
import { ATTRIBUTION_TABLE } from '../../src/attribution';
import type { PromSeries } from '../../lab/drive/prometheus';

/** The legs blackbox_exporter's targets stand for: tcp on the two websocket entry points, http on t3serve. */
export type BlackboxLeg = 'cloudflare' | 'internal' | 't3serve';
const LEGS: readonly BlackboxLeg[] = ['cloudflare', 'internal', 't3serve'];

/** What one tool made of one fault. */
export interface Outcome {
  detected: boolean;
  /** From the fault's start to the moment the tool showed it; null when it did not. */
  detectionMs: number | null;
  /** The runbook row the tool's output names; null: none. */
  row: number | null;
  /** What it named: the probe's suspects, or the legs whose blackbox probes failed. */
  named: string[];
}

const rowIndex = (id: string): number => ATTRIBUTION_TABLE.findIndex((r) => r.id === id);

/**
 * The runbook's table read over failing blackbox probes: the t3serve probe failing → the serve row
 * ("t3serve timeouts"); else the internal entry point failing (with the cloudflare one or alone: the
 * internal leg starts at Traefik) → the shared row; else the cloudflare entry point alone → the Cloudflare
 * row; nothing failing → no row.
 */
export function blackboxRow(failing: ReadonlySet<BlackboxLeg>): number | null {
  if (failing.has('t3serve')) {
    return rowIndex('serve');
  }
  if (failing.has('internal')) {
    return rowIndex('shared');
  }
  return failing.has('cloudflare') ? rowIndex('cloudflare') : null;
}

/** One scrape of one blackbox target, as Prometheus stored it. */
export interface BlackboxSample {
  setup: string;
  leg: BlackboxLeg;
  /** The scrape's timestamp (when it started), Unix ms. */
  atMs: number;
  /** When the result was in Prometheus: the timestamp plus the scrape's duration. */
  visibleAtMs: number;
  ok: boolean;
}

const seriesKey = (m: Record<string, string>): string => `${m.job}\u0000${m.instance}`;
const isLeg = (leg: string | undefined): leg is BlackboxLeg => LEGS.includes(leg as BlackboxLeg);

/**
 * Samples from `probe_success` and `scrape_duration_seconds` of the same targets (joined by job, instance
 * and timestamp); series without `setup` and a known `leg` label are not blackbox targets and are skipped.
 */
export function blackboxSamples(success: readonly PromSeries[], durations: readonly PromSeries[]): BlackboxSample[] {
  const duration = new Map<string, number>();
  for (const s of durations) {
    for (const [ts, v] of s.values) {
      duration.set(`${seriesKey(s.metric)}@${Math.round(ts * 1000)}`, Number(v) * 1000);
    }
  }
  const out: BlackboxSample[] = [];
  for (const s of success) {
    const { setup, leg } = s.metric;
    if (setup === undefined || !isLeg(leg)) {
      continue;
    }
    for (const [ts, v] of s.values) {
      const atMs = Math.round(ts * 1000);
      const took = Math.round(duration.get(`${seriesKey(s.metric)}@${atMs}`) ?? 0);
      out.push({ setup, leg, atMs, visibleAtMs: atMs + took, ok: v === '1' });
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** One setup's outcome for a fault that started at `t0`, from its samples in the fault's window. */
export function judgeBlackbox(samples: readonly BlackboxSample[], t0: number): Outcome {
  const failed = samples.filter((s) => !s.ok && s.atMs >= t0);
  if (failed.length === 0) {
    return { detected: false, detectionMs: null, row: null, named: [] };
  }
  const legs = new Set(failed.map((s) => s.leg));
  return {
    detected: true,
    detectionMs: Math.min(...failed.map((s) => s.visibleAtMs)) - t0,
    row: blackboxRow(legs),
    named: LEGS.filter((l) => legs.has(l)),
  };
}

/** Whether every target of every setup in `setups` has a successful scrape that started after `afterMs`. */
export function recovered(samples: readonly BlackboxSample[], setups: readonly string[], afterMs: number): boolean {
  return setups.every((setup) =>
    LEGS.every((leg) => samples.some((s) => s.setup === setup && s.leg === leg && s.ok && s.atMs > afterMs))
  );
}

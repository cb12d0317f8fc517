// A histogram with one label, `leg`, for the RTT: its observe runs on every heartbeat of every leg, so it
// only bumps numbers in the leg's own array. prom-client's Histogram builds a label object, a key list and
// a hash string on every call, which at 1,000 legs was a tenth of the probe's CPU (docs/benchmarks.md).
// It registers in a prom-client Registry and renders the same exposition (bucket counts cumulative, le first).
import type { Metric, Registry } from 'prom-client';

interface LegSeries {
  /** Per bucket, not cumulative; the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
  /** One object per leg for its whole life: the Registry caches its rendered text by object. */
  labels: { leg: string };
}

interface Sample {
  labels: Record<string, string>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
}

interface Rendered {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: Sample[];
}

const NO_LABELS = Object.freeze({});

export class LegHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: Float64Array;
  /** `{ le }` per bucket and +Inf, shared by every leg. */
  private readonly leLabels: Array<{ le: string }>;
  private readonly series = new Map<string, LegSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
    registry: Registry
  ) {
    if (buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!))) {
      throw new RangeError(`${name}: buckets must be finite and strictly increasing, got ${buckets.join(', ')}`);
    }
    this.bounds = Float64Array.from(buckets);
    this.leLabels = [...buckets.map(String), '+Inf'].map((le) => ({ le }));
    // The Registry only reads name, help, type and aggregator and calls get, getForPromString and reset;
    // its types name prom-client's own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The leg's series (created at 0 if new) and the hot-path function that records one value in seconds. */
  leg(leg: string): (value: number) => void {
    let s = this.series.get(leg);
    if (!s) {
      s = {
        counts: new Float64Array(this.leLabels.length),
        sum: 0,
        count: 0,
        labels: { leg },
      };
      this.series.set(leg, s);
    }
    const series = s;
    const bounds = this.bounds;
    return (value: number): void => {
      if (!Number.isFinite(value)) {
        throw new TypeError(`${this.name}{leg="${leg}"}: not a finite value: ${value}`);
      }
      let i = 0;
      while (i < bounds.length && value > bounds[i]!) {
        i++;
      }
      series.counts[i]!++;
      series.sum += value;
      series.count++;
    };
  }

  /** What Registry.metrics() renders: the leg as shared labels, whose text the Registry caches per object. */
  getForPromString(): Promise<Rendered> {
    const values: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    const sum = `${this.name}_sum`;
    const count = `${this.name}_count`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < s.counts.length; i++) {
        cumulative += s.counts[i]!;
        values.push({ labels: this.leLabels[i]!, sharedLabels: s.labels, value: cumulative, metricName: bucket });
      }
      values.push({ labels: NO_LABELS, sharedLabels: s.labels, value: s.sum, metricName: sum });
      values.push({ labels: NO_LABELS, sharedLabels: s.labels, value: s.count, metricName: count });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  /** Registry.getMetricsAsJSON and getSingleMetric(…).get(): the same samples with plain labels. */
  async get(): Promise<Rendered> {
    const rendered = await this.getForPromString();
    return {
      ...rendered,
      values: rendered.values.map(({ labels, sharedLabels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }

  /** Registry.resetMetrics: every series back to 0; the legs stay. */
  reset(): void {
    for (const s of this.series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}

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
  /**
   * Built once and passed to the Registry as shared labels, whose rendering it caches per object: a scrape
   * at 1,000 legs has 17,000 of these lines.
   */
  bucketLabels: Array<{ le: string; leg: string }>;
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
  private readonly les: string[];
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
    this.les = [...buckets.map(String), '+Inf'];
    // The Registry only reads name, help, type and aggregator and calls get, getForPromString and reset;
    // its types name prom-client's own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The leg's series (created at 0 if new) and the hot-path function that records one value in seconds. */
  leg(leg: string): (value: number) => void {
    let s = this.series.get(leg);
    if (!s) {
      s = {
        counts: new Float64Array(this.les.length),
        sum: 0,
        count: 0,
        bucketLabels: this.les.map((le) => ({ le, leg })),
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

  /** What Registry.metrics() renders: every label shared, so it formats each label set once per process. */
  getForPromString(): Promise<Rendered> {
    return Promise.resolve(this.render((labels) => ({ labels: NO_LABELS, sharedLabels: labels })));
  }

  /** Registry.getMetricsAsJSON and getSingleMetric(…).get(): plain labels. */
  get(): Promise<Rendered> {
    return Promise.resolve(this.render((labels) => ({ labels })));
  }

  private render(place: (labels: Record<string, string>) => Pick<Sample, 'labels' | 'sharedLabels'>): Rendered {
    const values: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < s.counts.length; i++) {
        cumulative += s.counts[i]!;
        values.push({ ...place(s.bucketLabels[i]!), value: cumulative, metricName: bucket });
      }
      values.push({ ...place(s.labels), value: s.sum, metricName: `${this.name}_sum` });
      values.push({ ...place(s.labels), value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
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

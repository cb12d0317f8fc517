import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LegHistogram } from './leg-histogram.js';

const BUCKETS = [0.001, 0.0025, 0.5, 1, 30];
// On a bound, just past one, between, beyond the last, zero.
const VALUES: Array<[string, number]> = [
  ['a', 0.001],
  ['a', 0.0011],
  ['a', 0.7],
  ['b', 31],
  ['b', 0],
  ['a', 30],
  ['b', 0.0025],
];

/** The same observations through prom-client's own Histogram, the registry to match. */
function reference(legs: string[], values: Array<[string, number]>): Registry {
  const registry = new Registry();
  const h = new Histogram({
    name: 'x_seconds',
    help: 'h',
    labelNames: ['leg'],
    buckets: BUCKETS,
    registers: [registry],
  });
  for (const leg of legs) {
    h.zero({ leg });
  }
  for (const [leg, v] of values) {
    h.observe({ leg }, v);
  }
  return registry;
}

/** The exact histogram and its own observations. */
function observed(legs: string[], values: Array<[string, number]>): Registry {
  const registry = new Registry();
  const h = new LegHistogram('x_seconds', 'h', BUCKETS, registry);
  const series = new Map(legs.map((leg) => [leg, h.leg(leg)]));
  for (const [leg, v] of values) {
    series.get(leg)!(v);
  }
  return registry;
}

/** JSON samples as comparable text: prom-client gives le as a number and adds an empty exemplar. */
async function jsonSamples(registry: Registry): Promise<string[]> {
  const [metric] = await registry.getMetricsAsJSON();
  return metric!.values
    .map((v) => {
      const { le, leg } = v.labels as { le?: number | string; leg: string };
      const name = (v as { metricName?: string }).metricName;
      return `${name} ${le === undefined ? '' : `le=${String(le)} `}leg=${leg} ${v.value}`;
    })
    .sort();
}

describe('LegHistogram', () => {
  it("renders exactly what prom-client's Histogram renders for the same observations", async () => {
    const legs = ['a', 'b', 'idle'];
    const registry = observed(legs, VALUES);
    const text = await registry.metrics();
    expect(text).toBe(await reference(legs, VALUES).metrics());
    expect(text).toContain('x_seconds_bucket{le="+Inf",leg="b"} 3');
    expect(text).toContain('x_seconds_count{leg="idle"} 0');
    // The second scrape renders from the cached label text: still the same.
    expect(await registry.metrics()).toBe(text);
  });

  it("answers getMetricsAsJSON with the labels prom-client's Histogram gives", async () => {
    const legs = ['a', 'b'];
    const ours = await jsonSamples(observed(legs, VALUES));
    expect(ours).toEqual(await jsonSamples(reference(legs, VALUES)));
    expect(ours).toContain('x_seconds_bucket le=0.5 leg=a 2');
    expect(ours).toContain('x_seconds_sum leg=b 31.0025');
  });

  it('gives the same series to a leg asked for twice', async () => {
    const registry = new Registry();
    const h = new LegHistogram('x_seconds', 'h', BUCKETS, registry);
    h.leg('a')(0.2);
    h.leg('a')(0.3);
    expect(await registry.metrics()).toContain('x_seconds_count{leg="a"} 2');
  });

  it('keeps every leg at 0 when the registry resets', async () => {
    const registry = new Registry();
    const h = new LegHistogram('x_seconds', 'h', BUCKETS, registry);
    h.leg('a')(0.2);
    registry.resetMetrics();
    const text = await registry.metrics();
    expect(text).toContain('x_seconds_bucket{le="0.5",leg="a"} 0');
    expect(text).toContain('x_seconds_sum{leg="a"} 0');
    expect(text).toContain('x_seconds_count{leg="a"} 0');
  });

  it('refuses a value that is not finite, naming the series', () => {
    const h = new LegHistogram('x_seconds', 'h', BUCKETS, new Registry());
    const observe = h.leg('a');
    expect(() => observe(Number.NaN)).toThrow('x_seconds{leg="a"}: not a finite value: NaN');
    expect(() => observe(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });

  it('refuses buckets that are empty, unordered or not finite', () => {
    for (const buckets of [[], [1, 0.5], [0.1, 0.1], [0.1, Number.POSITIVE_INFINITY]]) {
      expect(() => new LegHistogram('x_seconds', 'h', buckets, new Registry())).toThrow(/x_seconds: buckets must be/);
    }
  });

  it('cannot be registered twice under one name', () => {
    const registry = new Registry();
    new LegHistogram('x_seconds', 'h', BUCKETS, registry);
    expect(() => new LegHistogram('x_seconds', 'h', BUCKETS, registry)).toThrow(/already been registered/);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_REASONS, DEFAULT_TOPOLOGY, type Topology } from './engine.js';
import { ProbeMetrics, STORE_OPS } from './metrics.js';
import { TICK_MS } from './selfmon.js';

const PROMTOOL = '/usr/bin/promtool';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('ProbeMetrics', () => {
  it('pre-initialises every leg × reason, every suspect segment, every store op', async () => {
    const m = new ProbeMetrics(DEFAULT_TOPOLOGY, '1.2.3');
    const text = await m.registry.metrics();
    for (const leg of DEFAULT_TOPOLOGY.legs) {
      expect(sample(text, `t3probe_connected{leg="${leg.name}"}`)).toBe(0);
      expect(sample(text, `t3probe_rtt_seconds_count{leg="${leg.name}"}`)).toBe(0);
      for (const reason of ALL_REASONS) {
        expect(sample(text, `t3probe_disconnects_total{leg="${leg.name}",reason="${reason}"}`)).toBe(0);
      }
    }
    for (const s of DEFAULT_TOPOLOGY.segments) {
      expect(sample(text, `t3probe_incidents_total{suspect="${s.id}"}`)).toBe(0);
    }
    for (const op of STORE_OPS) {
      expect(sample(text, `t3probe_store_errors_total{op="${op}"}`)).toBe(0);
    }
    expect(sample(text, 't3probe_probe_stalls_total')).toBe(0);
    expect(sample(text, 't3probe_build_info{version="1.2.3"}')).toBe(1);
    expect(sample(text, 't3probe_event_loop_lag_seconds_count')).toBe(0);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  /** The runbook's legs, alice's leg on her own instance, carol known without a leg. */
  const WITH_USERS: Topology = {
    ...DEFAULT_TOPOLOGY,
    legs: [
      ...DEFAULT_TOPOLOGY.legs,
      { name: 'serve-alice', type: 'http', segments: [], intervalMs: 10_000, timeoutMs: 5_000, user: 'alice' },
    ],
    users: ['carol'],
  };

  it("pre-initialises every user's own instance as a suspect, monitored or not", async () => {
    const text = await new ProbeMetrics(WITH_USERS, 'x').registry.metrics();
    for (const suspect of ['serve', 'serve.alice', 'serve.carol', 'probe']) {
      expect(sample(text, `t3probe_incidents_total{suspect="${suspect}"}`)).toBe(0);
    }
    expect(sample(text, 't3probe_connected{leg="serve-alice"}')).toBe(0);
  });

  it('t3probe_leg_info: 1 for each leg with a user, labelled with that user; none for a shared leg', async () => {
    const text = await new ProbeMetrics(WITH_USERS, 'x').registry.metrics();
    const info = text.split('\n').filter((l) => l.startsWith('t3probe_leg_info{'));
    expect(info).toEqual(['t3probe_leg_info{leg="serve-alice",user="alice"} 1']);
    expect(text).toContain('# TYPE t3probe_leg_info gauge');
    // Without users: the metric is declared, with no series.
    const none = await new ProbeMetrics(DEFAULT_TOPOLOGY, 'x').registry.metrics();
    expect(none.split('\n').filter((l) => l.startsWith('t3probe_leg_info{'))).toEqual([]);
  });

  it("samples Node's event-loop delay at the self-monitor's tick, not prom-client's costly 10 ms", async () => {
    const m = new ProbeMetrics(DEFAULT_TOPOLOGY, 'x');
    await m.registry.metrics(); // a scrape resets the delay histogram
    await new Promise((resolve) => setTimeout(resolve, 3 * TICK_MS + 50));
    const min = sample(await m.registry.metrics(), 'nodejs_eventloop_lag_min_seconds');
    // Node's monitor counts its own interval in every sample, so an idle loop's minimum is that interval
    // (with no sample at all it would read about 9e9 s).
    expect(min).toBeGreaterThanOrEqual((0.9 * TICK_MS) / 1000);
    expect(min).toBeLessThan(1);
  });

  it('has the RTT buckets the dashboard relies on, 1 ms to 30 s', async () => {
    const m = new ProbeMetrics(DEFAULT_TOPOLOGY, 'x');
    m.rtt.leg('internal')(2.4);
    const text = await m.registry.metrics();
    const les = [...text.matchAll(/t3probe_rtt_seconds_bucket\{le="([^"]+)",leg="internal"\}/g)].map((x) => x[1]);
    expect(les).toEqual([
      '0.001',
      '0.0025',
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '2.5',
      '5',
      '10',
      '20',
      '30',
      '+Inf',
    ]);
    expect(sample(text, 't3probe_rtt_seconds_bucket{le="1",leg="internal"}')).toBe(0);
    expect(sample(text, 't3probe_rtt_seconds_bucket{le="2.5",leg="internal"}')).toBe(1);
  });

  it.skipIf(!existsSync(PROMTOOL))('passes promtool check metrics', async () => {
    const m = new ProbeMetrics(DEFAULT_TOPOLOGY, '0.1.0');
    m.disconnects.inc({ leg: 'internal', reason: 'reset' });
    m.lag.observe(0.002);
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: await m.registry.metrics(), encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

/**
 * RTT accuracy: the lab's websocket legs (cloudflare through 5 relays, internal through 3) with the
 * stand-in answering each Ping immediately (the loopback base), then with every Pong delayed by 50 ms.
 * Per-sample RTTs come from the probe's own API (rtt-sampler.ts); the histogram's sum/count over the same
 * window is reported as a cross-check of the mean.
 */
import { metricValue } from '../lab/drive/probe-http';
import { startLabProbe, type LabProbe } from './lab-probe';
import type { BenchResult } from './report';
import { allSamples, sampleRtts } from './rtt-sampler';
import { median, ms, quantile } from './stats';

const DELAY_MS = 50;
const LEGS = ['cloudflare', 'internal'];

async function measure(stack: LabProbe, delayMs: number, durationMs: number) {
  await stack.lab.serve.update({ pongDelayMs: delayMs });
  // Let a heartbeat with the old delay finish before counting.
  await new Promise((r) => setTimeout(r, 1_500));
  const sum = async (): Promise<[number, number]> => {
    const text = await stack.client.metrics();
    const pick = (n: string): number => LEGS.reduce((a, leg) => a + metricValue(text, n, { leg }), 0);
    return [pick('t3probe_rtt_seconds_sum'), pick('t3probe_rtt_seconds_count')];
  };
  const [s0, c0] = await sum();
  const samples = await sampleRtts(stack.client, { durationMs, pollMs: 100, legs: LEGS });
  const [s1, c1] = await sum();
  const all = allSamples(samples);
  return {
    delayMs,
    samples: all.length,
    medianMs: median(all),
    p99Ms: quantile(all, 0.99),
    minMs: Math.min(...all),
    histogramMeanMs: c1 > c0 ? ((s1 - s0) / (c1 - c0)) * 1000 : Number.NaN,
    perLegMedianMs: Object.fromEntries([...samples.byLeg].map(([leg, v]) => [leg, median(v)])),
  };
}

export async function rtt(durationMs: number, log: (line: string) => void): Promise<BenchResult> {
  const stack = await startLabProbe({}, {}, LEGS.concat('t3serve'));
  try {
    const base = await measure(stack, 0, durationMs);
    log(`rtt base: median ${base.medianMs.toFixed(3)} ms over ${base.samples} samples`);
    const delayed = await measure(stack, DELAY_MS, durationMs);
    log(`rtt with ${DELAY_MS} ms pong delay: median ${delayed.medianMs.toFixed(3)} ms over ${delayed.samples} samples`);
    // The target is about measuring a known delay; the lab's relay hops add their own base round trip,
    // measured separately with no delay and taken off.
    const added = delayed.medianMs - base.medianMs;
    return {
      rows: [
        {
          benchmark: 'rtt',
          measure: `added delay measured: median with ${DELAY_MS} ms pong delay − median without (${delayed.samples}/${base.samples} samples)`,
          result: ms(added, 2),
          target: `${DELAY_MS} ± 2 ms`,
          pass: Math.abs(added - DELAY_MS) <= 2,
        },
        {
          benchmark: 'rtt',
          measure: `median heartbeat RTT, pong delayed ${DELAY_MS} ms, through the lab's relays`,
          result: ms(delayed.medianMs, 2),
          target: '—',
          pass: null,
        },
        {
          benchmark: 'rtt',
          measure: 'loopback base through the relays: median RTT, no delay',
          result: ms(base.medianMs, 2),
          target: '—',
          pass: null,
        },
      ],
      details: { legs: LEGS, base, delayed },
    };
  } finally {
    await stack.stop();
  }
}

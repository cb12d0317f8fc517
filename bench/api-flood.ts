/**
 * API flood (issue 6): the lab's legs' heartbeat RTT p99 over quiet phases against phases of the same total
 * length with 500 requests/s from loopback against the probe API (legs, incidents, attribution, metrics in
 * turn), alternating CYCLES times. The rise must stay below 5 ms. RTTs are sampled the same way in both windows
 * (rtt-sampler.ts, 40 polls/s of /api/v1/legs), so the sampler's own load cancels out.
 */
import { startLabProbe } from './lab-probe';
import { flood, type FloodResult } from './flood';
import type { BenchResult } from './report';
import { allSamples, sampleRtts } from './rtt-sampler';
import { max, median, ms, quantile } from './stats';

const RATE = 500;
const LEGS = ['cloudflare', 'internal'];
const PATHS = ['/api/v1/legs', '/api/v1/incidents', '/api/v1/attribution', '/metrics'];
const MAX_RISE_MS = 5;
const CYCLES = 3;
/**
 * Faster than the lab's 500 ms so a p99 rests on enough samples (about 900 per condition in 45 s) to resolve
 * a few ms on a shared machine; the sampler polls 4 times per interval.
 */
const HEARTBEAT = { interval: '100ms', timeout: '2s' };
const POLL_MS = 25;

export async function apiFlood(durationMs: number, log: (line: string) => void): Promise<BenchResult> {
  const stack = await startLabProbe({ heartbeat: HEARTBEAT }, {}, [...LEGS, 't3serve']);
  const phaseMs = durationMs / CYCLES;
  const quiet: number[] = [];
  const loud: number[] = [];
  const load: FloodResult = { sent: 0, ok: 0, errors: 0, latenciesMs: [], byPath: {}, errorKinds: {} };
  let failedPolls = 0;
  try {
    await stack.client.settle();
    const before = await stack.client.metric('t3probe_disconnects_total');
    // Quiet and flood alternate, so a change in the rest of the machine's load hits both alike.
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const q = await sampleRtts(stack.client, { durationMs: phaseMs, pollMs: POLL_MS, legs: LEGS });
      const [f, r] = await Promise.all([
        sampleRtts(stack.client, { durationMs: phaseMs, pollMs: POLL_MS, legs: LEGS }),
        flood({ address: stack.probe.address, paths: PATHS, rate: RATE, durationMs: phaseMs }),
      ]);
      quiet.push(...allSamples(q));
      loud.push(...allSamples(f));
      failedPolls += q.failedPolls + f.failedPolls;
      load.sent += r.sent;
      load.ok += r.ok;
      load.errors += r.errors;
      load.latenciesMs.push(...r.latenciesMs);
      for (const [path, l] of Object.entries(r.byPath)) {
        (load.byPath[path] ??= []).push(...l);
      }
      for (const [kind, n] of Object.entries(r.errorKinds)) {
        load.errorKinds[kind] = (load.errorKinds[kind] ?? 0) + n;
      }
      log(
        `api-flood cycle ${cycle}/${CYCLES}: RTT p99 quiet ${quantile(allSamples(q), 0.99).toFixed(2)} ms, ` +
          `flood ${quantile(allSamples(f), 0.99).toFixed(2)} ms; ${r.sent} requests, ${r.errors} errors`
      );
    }
    const disconnects = (await stack.client.metric('t3probe_disconnects_total')) - before;
    const rise = quantile(loud, 0.99) - quantile(quiet, 0.99);
    const seconds = durationMs / 1000;
    return {
      rows: [
        {
          benchmark: 'api-flood',
          measure:
            `heartbeat RTT p99 rise, ${RATE} req/s for ${seconds} s vs ${seconds} s quiet ` +
            `(${ms(quantile(quiet, 0.99), 2)} → ${ms(quantile(loud, 0.99), 2)}; ${quiet.length} / ${loud.length} samples)`,
          result: ms(rise, 2),
          target: `< ${MAX_RISE_MS} ms`,
          pass: rise < MAX_RISE_MS,
        },
        {
          benchmark: 'api-flood',
          measure: `heartbeat RTT median, quiet → flood`,
          result: `${ms(median(quiet), 2)} → ${ms(median(loud), 2)}`,
          target: '—',
          pass: null,
        },
        {
          benchmark: 'api-flood',
          measure: `API latency p50 / p99 (${load.sent} requests, ${(load.sent / seconds).toFixed(0)}/s)`,
          result: `${ms(median(load.latenciesMs), 1)} / ${ms(quantile(load.latenciesMs, 0.99), 1)}`,
          target: '—',
          pass: null,
        },
        {
          benchmark: 'api-flood',
          measure: 'API errors (non-200, network, overload) / leg disconnects',
          result: `${load.errors} / ${disconnects}`,
          target: '0 / 0',
          pass: load.errors === 0 && disconnects === 0,
        },
      ],
      details: {
        rate: RATE,
        durationMs,
        cycles: CYCLES,
        paths: PATHS,
        quiet: { samples: quiet.length, p50: median(quiet), p99: quantile(quiet, 0.99), max: max(quiet) },
        flood: { samples: loud.length, p50: median(loud), p99: quantile(loud, 0.99), max: max(loud) },
        failedPolls,
        disconnects,
        api: { sent: load.sent, ok: load.ok, errors: load.errors, errorKinds: load.errorKinds },
        apiLatencyMs: Object.fromEntries(
          Object.entries(load.byPath).map(([path, l]) => [
            path,
            { p50: median(l), p99: quantile(l, 0.99), max: max(l) },
          ])
        ),
      },
    };
  } finally {
    await stack.stop();
  }
}

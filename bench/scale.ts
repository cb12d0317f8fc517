/**
 * Scale: `legs` websocket legs (1 s heartbeat, 3 s timeout) straight to one lab stand-in, and side by side
 * the bare `ws` loop (bare-ws-loop.ts) with as many clients on the same stand-in. Once both are connected,
 * a window of `windowMs`, bracketed by two /metrics scrapes and nothing else asked of the probe:
 * - CPU: the probe's utime + stime from /proc/<pid>/stat at the window's start and end against the bare
 *   loop's own process.cpuUsage over the same window. The window opens 2 s after the opening scrape, so
 *   neither scrape (at 1,000 legs about 70 ms of CPU and 2 MB of garbage, which the bare loop has no part
 *   of) is counted; what one scrape costs is measured after the window and reported on its own row, and
 *   process_cpu_seconds_total between the scrapes (which includes their rendering) is kept in the details;
 * - RSS: process_resident_memory_bytes of both scrapes plus VmRSS read from /proc every second from start
 *   to end (reading /proc costs the probe nothing), max of all; VmHWM as a cross-check;
 * - event-loop lag p99: the probe's lag histogram (100 ms ticks) over the window, to the bucket, and
 *   prom-client's nodejs_eventloop_lag_p99_seconds of the closing scrape (it covers the time since the
 *   opening scrape). Node's delay monitor behind the latter samples every 100 ms in the probe and counts
 *   that interval in every value (an idle probe reads p50 ≈ min ≈ 100 ms), so the lag is its p99 less its min.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from '../lab/lab';
import { sleep, waitFor } from '../lab/wait';
import type { Server } from '../lab/drive/procs';
import { ProbeClient } from '../lab/drive/probe-client';
import { metricValue } from '../lab/drive/probe-http';
import { startProbe } from '../lab/drive/probe-process';
import { BareLoop, type BareWindow } from './bare-loop-child';
import { procSample } from './proc-stats';
import { buckets } from './prom-text';
import type { BenchResult } from './report';
import { histogramQuantile, max } from './stats';

const RSS_LIMIT = 150 * 1024 * 1024;
const LAG_LIMIT_S = 0.01;
const CPU_RATIO_LIMIT = 1.5;

function writeConfig(lab: Lab, legs: number, compression: boolean): string {
  const url = `ws://127.0.0.1:${lab.ports.serve}/ws`;
  const config = {
    listen: '127.0.0.1:0',
    dataDir: join(lab.dir, 'scale-data'),
    heartbeat: { interval: '1s', timeout: '3s' },
    reconnect: { initial: '1s', max: '5s' },
    legs: Array.from({ length: legs }, (_, i) => ({
      name: `leg${String(i).padStart(4, '0')}`,
      type: 'websocket',
      url,
      protocol: 't3',
      segments: ['devvm-net', 'serve'],
      compression,
    })),
  };
  const file = join(lab.dir, 'scale-probe.yaml');
  // JSON is YAML.
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** CPU seconds and wall time one /metrics scrape costs the probe, from /proc around it. */
async function scrapeCost(client: ProbeClient, pid: number): Promise<{ cpuMs: number; wallMs: number; bytes: number }> {
  await sleep(1_000);
  const before = procSample(pid).cpuSeconds;
  const started = performance.now();
  const text = await client.metrics();
  const wallMs = performance.now() - started;
  return { cpuMs: (procSample(pid).cpuSeconds - before) * 1000, wallMs, bytes: text.length };
}

interface ScaleOptions {
  legs: number;
  windowMs: number;
  /** The probe's legs offer permessage-deflate (the probe's default, as browsers do), and so does the bare loop. */
  compression: boolean;
}

export async function scale(opts: ScaleOptions, log: (line: string) => void): Promise<BenchResult> {
  const { compression } = opts;
  const lab = await Lab.start();
  let probe: Server | undefined;
  let bare: BareLoop | undefined;
  const rss: number[] = [];
  let sampler: ReturnType<typeof setInterval> | undefined;
  try {
    const started = Date.now();
    probe = await startProbe(writeConfig(lab, opts.legs, compression), 60_000);
    const pid = probe.pid;
    sampler = setInterval(() => rss.push(procSample(pid).rssBytes), 1_000);
    const client = new ProbeClient(probe.address, []);
    // The probe reads the stand-in's protocol version from its descriptor; the bare loop dials it directly.
    bare = BareLoop.start(lab.clientUrl(`ws://127.0.0.1:${lab.ports.serve}/ws`), opts.legs, 1_000, compression);
    // /api/v1/legs is far cheaper for the probe than /metrics with 1000 legs.
    await waitFor(async () => (await client.legs()).filter((l) => l.connected).length === opts.legs, {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      what: `all ${opts.legs} probe legs connected`,
    });
    await bare.next('connected', 120_000);
    log(`scale: ${opts.legs} probe legs and ${opts.legs} bare clients connected after ${Date.now() - started} ms`);
    await sleep(5_000);

    const before = await client.metrics();
    await sleep(2_000);
    const cpu0 = procSample(pid).cpuSeconds;
    bare.send('start');
    const t0 = Date.now();
    await sleep(opts.windowMs);
    bare.send('stop');
    const probeCpu = procSample(pid).cpuSeconds - cpu0;
    const elapsedS = (Date.now() - t0) / 1000;
    const after = await client.metrics();
    const window = (await bare.next('window', 10_000)) as unknown as BareWindow;
    const cost = await scrapeCost(client, pid);
    const peak = procSample(pid).peakRssBytes;
    clearInterval(sampler);

    const delta = (name: string): number => metricValue(after, name) - metricValue(before, name);
    const scrapedCpu = delta('process_cpu_seconds_total');
    const disconnects = delta('t3probe_disconnects_total');
    const connected = metricValue(after, 't3probe_connected');
    const rttCount = delta('t3probe_rtt_seconds_count');
    rss.push(metricValue(before, 'process_resident_memory_bytes'), metricValue(after, 'process_resident_memory_bytes'));
    const lagBucketP99 = histogramQuantile(
      buckets(before, 't3probe_event_loop_lag_seconds'),
      buckets(after, 't3probe_event_loop_lag_seconds'),
      0.99
    );
    const lagP99 =
      metricValue(after, 'nodejs_eventloop_lag_p99_seconds') - metricValue(after, 'nodejs_eventloop_lag_min_seconds');
    const ratio = probeCpu / window.cpuSeconds;
    const maxRss = max(rss);
    const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
    log(
      `scale: probe CPU ${probeCpu.toFixed(2)} s, bare loop ${window.cpuSeconds.toFixed(2)} s over ${elapsedS.toFixed(1)} s`
    );
    log(
      `scale: one /metrics scrape: ${(cost.bytes / 1e6).toFixed(1)} MB, ${cost.cpuMs.toFixed(0)} ms CPU, ${cost.wallMs.toFixed(0)} ms`
    );
    return {
      rows: [
        {
          benchmark: 'scale',
          measure: `probe RSS, max over the run (${opts.legs} legs, 1 s heartbeat, compression ${compression ? 'offered' : 'off'})`,
          result: mb(maxRss),
          target: '≤ 150 MB',
          pass: maxRss <= RSS_LIMIT,
        },
        {
          benchmark: 'scale',
          measure:
            'event-loop lag p99 in the window (nodejs_eventloop_lag p99 − min, the monitor interval / lag histogram bucket)',
          result: `${(lagP99 * 1000).toFixed(1)} ms / ≤ ${lagBucketP99 * 1000} ms`,
          target: '≤ 10 ms',
          pass: lagP99 <= LAG_LIMIT_S && lagBucketP99 <= LAG_LIMIT_S,
        },
        {
          benchmark: 'scale',
          measure: `CPU over ${elapsedS.toFixed(0)} s: probe / bare ws loop (${window.pongs} bare pongs, ${rttCount} probe RTTs)`,
          result: `${probeCpu.toFixed(2)} s / ${window.cpuSeconds.toFixed(2)} s = ${ratio.toFixed(2)}×`,
          target: `≤ ${CPU_RATIO_LIMIT}×`,
          pass: ratio <= CPU_RATIO_LIMIT,
        },
        {
          benchmark: 'scale',
          measure: 'legs connected at the end / disconnects in the window',
          result: `${connected} / ${disconnects}`,
          target: `${opts.legs} / 0`,
          pass: connected === opts.legs && disconnects === 0,
        },
        {
          benchmark: 'scale',
          measure: `one /metrics scrape at ${opts.legs} legs (size, probe CPU)`,
          result: `${(cost.bytes / 1e6).toFixed(1)} MB, ${cost.cpuMs.toFixed(0)} ms`,
          target: '—',
          pass: null,
        },
      ],
      details: {
        legs: opts.legs,
        compression,
        windowS: elapsedS,
        probe: {
          cpuSeconds: probeCpu,
          cpuSecondsBetweenScrapes: scrapedCpu,
          rttSamples: rttCount,
          disconnects,
          connected,
          peakRssBytes: peak,
        },
        bare: window,
        scrape: cost,
        rssBytes: rss,
        nodejsLagP99Seconds: lagP99,
        lagHistogramP99BoundSeconds: lagBucketP99,
      },
    };
  } finally {
    clearInterval(sampler);
    await bare?.stop();
    await probe?.stop();
    await lab.stop();
  }
}

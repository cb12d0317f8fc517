/**
 * The real parts an integration test runs, each started on port 0 and found by its own log line:
 * the built probe, Debian's Prometheus and node_exporter. Shared by every integration test.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, type Server } from './procs';

export const REPO = resolve(__dirname, '../..');
export const PROBE_BIN = join(REPO, 'probe-sidecar/bin/t3-probe.js');
/** Prometheus and node_exporter (Go's log) both say where they listen. */
const GO_LISTENING = /msg="Listening on" address=(\S+)/;

export function startProbe(configFile: string, timeoutMs = 20_000): Promise<Server> {
  if (!existsSync(join(REPO, 'probe-sidecar/dist/t3-probe.js'))) {
    throw new Error('the probe is not built: run `npm run build` first');
  }
  return startServer(
    't3-probe',
    process.execPath,
    [PROBE_BIN, '--config', configFile],
    /"msg":"probe started".*"listen":"([^"]+)"/,
    { cwd: REPO, timeoutMs }
  );
}

export function startNodeExporter(): Promise<Server> {
  return startServer(
    'node_exporter',
    '/usr/bin/prometheus-node-exporter',
    ['--web.listen-address=127.0.0.1:0', '--collector.pressure'],
    GO_LISTENING
  );
}

/** A Prometheus scraping `targets` (job → host:port) every second. */
export function startPrometheus(targets: Record<string, string>, extraConfig = ''): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 't3-prom-'));
  const jobs = Object.entries(targets)
    .map(([job, target]) => `  - job_name: ${job}\n    static_configs: [{ targets: ['${target}'] }]\n`)
    .join('');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n${jobs}${extraConfig}`
  );
  return startServer(
    'prometheus',
    '/usr/bin/prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
    ],
    GO_LISTENING
  );
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export async function promQuery(address: string, expr: string): Promise<PromSample[]> {
  const res = await fetch(`http://${address}/api/v1/query?query=${encodeURIComponent(expr)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { status: string; error?: string; data: { result: PromSample[] } };
  if (body.status !== 'success') {
    throw new Error(`prometheus: ${expr}: ${body.error ?? res.status}`);
  }
  return body.data.result;
}

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`GET ${url}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as T;
}

/** Sums the samples of one metric in Prometheus text format whose labels include every given pair. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) {
      continue;
    }
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

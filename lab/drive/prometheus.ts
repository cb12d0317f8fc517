/**
 * Debian's Prometheus (and any Go server of its family) started on port 0 and found by its own log line,
 * and the two ways its API is read: an instant vector, and the raw samples of a range. Shared by the
 * integration tests (through tests/support/stack.ts) and the benchmarks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from './procs';

/** The Prometheus family's servers (exporter-toolkit) all say where they listen. */
export const GO_LISTENING = /msg="Listening on" address=(\S+)/;

/**
 * A Go server of the Prometheus family (its toolkit's "Listening on" line says where) run with `config`
 * written into a scratch dir as `configName`; `args` gets that dir. stop() removes the dir once the process
 * has exited.
 */
export async function startGoServer(
  name: string,
  bin: string,
  configName: string,
  config: string,
  args: (dir: string) => string[]
): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), `t3-${name}-`));
  writeFileSync(join(dir, configName), config);
  try {
    const server = await startServer(name, bin, args(dir), GO_LISTENING);
    return {
      ...server,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A Prometheus running `config` (a prometheus.yml as text). */
export function startPrometheus(config: string): Promise<Server> {
  return startGoServer('prometheus', '/usr/bin/prometheus', 'prometheus.yml', config, (dir) => [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--web.listen-address=127.0.0.1:0',
  ]);
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One series' raw samples: `[unix seconds, value as text]`, oldest first. */
export interface PromSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

const RESULT_NAMES = { vector: 'an instant vector', matrix: 'a range vector' } as const;

async function query<T>(
  address: string,
  expr: string,
  resultType: keyof typeof RESULT_NAMES,
  timeSeconds?: number
): Promise<T[]> {
  const at = timeSeconds === undefined ? '' : `&time=${timeSeconds}`;
  const res = await fetch(`http://${address}/api/v1/query?query=${encodeURIComponent(expr)}${at}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data: { resultType: string; result: T[] };
  };
  if (body.status !== 'success') {
    throw new Error(`prometheus: ${expr}: ${body.error ?? res.status}`);
  }
  if (body.data.resultType !== resultType) {
    throw new Error(`prometheus: ${expr}: ${body.data.resultType}, not ${RESULT_NAMES[resultType]}`);
  }
  return body.data.result;
}

/** An instant query, evaluated now or at `timeSeconds`; anything but an instant vector is an error. */
export function promQuery(address: string, expr: string, timeSeconds?: number): Promise<PromSample[]> {
  return query<PromSample>(address, expr, 'vector', timeSeconds);
}

/**
 * Every raw sample of `selector` (a series selector, e.g. `probe_success{job="x"}`) with a timestamp in
 * (fromMs, toMs], as stored: no evaluation, no step.
 */
export function promSamples(address: string, selector: string, fromMs: number, toMs: number): Promise<PromSeries[]> {
  const rangeMs = Math.max(1, Math.ceil(toMs - fromMs));
  return query<PromSeries>(address, `${selector}[${rangeMs}ms]`, 'matrix', toMs / 1000);
}

/**
 * The real parts an integration test runs, each started on port 0 and found by its own log line:
 * the built probe (launched by probe-process.ts), Debian's Prometheus and node_exporter. Shared by every
 * integration test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../../lab/child';
import { startServer, type Server } from '../../lab/drive/procs';

/** Prometheus and node_exporter (Go's log) both say where they listen. */
const GO_LISTENING = /msg="Listening on" address=(\S+)/;

export function startNodeExporter(): Promise<Server> {
  return startServer(
    'node_exporter',
    '/usr/bin/prometheus-node-exporter',
    ['--web.listen-address=127.0.0.1:0', '--collector.pressure'],
    GO_LISTENING
  );
}

/** A plain config scraping `targets` (job → host:port) every second. */
export function simplePrometheusConfig(targets: Record<string, string>): string {
  const jobs = Object.entries(targets).map(([job_name, target]) => ({
    job_name,
    static_configs: [{ targets: [target] }],
  }));
  return stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: jobs });
}

/**
 * The shipped provisioning/prometheus/prometheus.yml with every job's target on 127.0.0.1 and 1 s
 * intervals; jobs and relabelling as shipped, the shipped rule files loaded when `rules` is set.
 */
export function shippedPrometheusConfig(targets: Record<string, string>, opts: { rules: boolean }): string {
  const prov = join(REPO_ROOT, 'provisioning/prometheus');
  const cfg = parse(readFileSync(join(prov, 'prometheus.yml'), 'utf8')) as {
    global: Record<string, unknown>;
    rule_files?: string[];
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };
  cfg.global.scrape_interval = '1s';
  cfg.global.evaluation_interval = '1s';
  if (opts.rules) {
    cfg.rule_files = [join(prov, 'rules', '*.yml')];
  } else {
    delete cfg.rule_files;
  }
  for (const job of cfg.scrape_configs) {
    const target = targets[job.job_name];
    if (!target) {
      throw new Error(`no test target for scrape job ${job.job_name}`);
    }
    job.static_configs = [{ targets: [target] }];
  }
  return stringify(cfg);
}

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

/** A Prometheus running `config` (see simplePrometheusConfig, shippedPrometheusConfig). */
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

/** An instant query; anything but an instant vector is an error naming the expression. */
/** An instant query, evaluated now or at `timeSeconds`. */
export async function promQuery(address: string, expr: string, timeSeconds?: number): Promise<PromSample[]> {
  const at = timeSeconds === undefined ? '' : `&time=${timeSeconds}`;
  const res = await fetch(`http://${address}/api/v1/query?query=${encodeURIComponent(expr)}${at}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data: { resultType: string; result: PromSample[] };
  };
  if (body.status !== 'success') {
    throw new Error(`prometheus: ${expr}: ${body.error ?? res.status}`);
  }
  if (body.data.resultType !== 'vector') {
    throw new Error(`prometheus: ${expr}: ${body.data.resultType}, not an instant vector`);
  }
  return body.data.result;
}

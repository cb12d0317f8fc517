/**
 * The real parts an integration test runs, each started on port 0 and found by its own log line:
 * the built probe (launched by probe-process.ts), Debian's Prometheus (launched by lab/drive/prometheus.ts,
 * which the benchmarks share) and node_exporter. Shared by every integration test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../../lab/child';
import { startServer, type Server } from '../../lab/drive/procs';
import { GO_LISTENING } from '../../lab/drive/prometheus';

export function startNodeExporter(): Promise<Server> {
  return startServer(
    'node_exporter',
    '/usr/bin/prometheus-node-exporter',
    ['--web.listen-address=127.0.0.1:0', '--collector.pressure'],
    GO_LISTENING
  );
}

/** A plain config scraping `targets` (job → host:port, or several) every second. */
export function simplePrometheusConfig(targets: Record<string, string | string[]>): string {
  const jobs = Object.entries(targets).map(([job_name, target]) => ({
    job_name,
    static_configs: [{ targets: Array.isArray(target) ? target : [target] }],
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

export { promQuery, startGoServer, startPrometheus, type PromSample } from '../../lab/drive/prometheus';

/**
 * The peer people use today: Debian's prometheus-blackbox-exporter with its stock `http_2xx` and
 * `tcp_connect` modules, and a Prometheus scrape config in the usual multi-target form (`/probe?module=…
 * &target=…`, relabelled). Each setup (scrape interval) is a pair of jobs: the http prober on the
 * t3serve URL and the tcp prober on both websocket entry points. Every target carries `setup` and the
 * `leg` whose entry point it probes, so its results read against the runbook's table like the legs.
 */
import { stringify } from 'yaml';
import { join } from 'node:path';
import type { LegUrls } from '../../lab/probe-config';
import type { Server } from '../../lab/drive/procs';
import { startGoServer } from '../../lab/drive/prometheus';
import type { BlackboxLeg } from './judge';

/** The two modules as Debian's /etc/prometheus/blackbox.yml defines them (no timeout: the scrape's). */
const MODULES = { modules: { http_2xx: { prober: 'http' }, tcp_connect: { prober: 'tcp' } } };

export function startBlackbox(): Promise<Server> {
  return startGoServer(
    'blackbox',
    '/usr/bin/prometheus-blackbox-exporter',
    'blackbox.yml',
    stringify(MODULES),
    (dir) => [`--config.file=${join(dir, 'blackbox.yml')}`, '--web.listen-address=127.0.0.1:0']
  );
}

/** What blackbox_exporter probes, per leg it stands for: the same URL, or the entry point's host:port. */
export function blackboxTargets(urls: LegUrls): Record<BlackboxLeg, string> {
  return { cloudflare: new URL(urls.cloudflare).host, internal: new URL(urls.internal).host, t3serve: urls.t3serve };
}

function job(name: string, interval: string, module: string, exporter: string, targets: Record<string, string>) {
  return {
    job_name: name,
    scrape_interval: interval,
    metrics_path: '/probe',
    params: { module: [module] },
    static_configs: Object.entries(targets).map(([leg, target]) => ({
      targets: [target],
      labels: { setup: interval, leg },
    })),
    relabel_configs: [
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: exporter },
    ],
  };
}

/**
 * A prometheus.yml scraping `exporter` (host:port) for every target, once per interval in `intervals`
 * (e.g. `15s`); scrape timeouts are Prometheus' defaults (10 s, or the interval when shorter).
 */
export function blackboxScrapeConfig(
  exporter: string,
  targets: Record<BlackboxLeg, string>,
  intervals: readonly string[]
): string {
  const { t3serve, ...entryPoints } = targets;
  const jobs = intervals.flatMap((interval) => [
    job(`blackbox-http-${interval}`, interval, 'http_2xx', exporter, { t3serve }),
    job(`blackbox-tcp-${interval}`, interval, 'tcp_connect', exporter, entryPoints),
  ]);
  return stringify({ scrape_configs: jobs });
}

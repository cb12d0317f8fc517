/**
 * The real monitoring stack behind the browser tests: the lab (stand-in t3 server and one relay per
 * segment), the probe over it, node_exporter standing for devvm, and Prometheus scraping both with the
 * shipped prometheus.yml (jobs and relabelling as provisioned, targets on 127.0.0.1, 1 s intervals).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { Lab } from '../lab/lab';
import type { HarnessDatasource } from './harness';
import { waitFor } from '../lab/wait';
import { PROV } from '../provisioning/files';
import { startServer, type Server } from '../support/procs';
import { ensureProbeBuilt, PROBE_CLI, PROBE_STARTED } from './probeProcess';

const LISTENING = /msg="Listening on" address=(\S+)/;

export interface Stack {
  lab: Lab;
  probeUrl: string;
  prometheusUrl: string;
  /** Instant PromQL query against the stack's Prometheus. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

function prometheusConfig(targets: Record<string, string>): string {
  const cfg = parse(readFileSync(path.join(PROV, 'prometheus/prometheus.yml'), 'utf8')) as {
    global: Record<string, unknown>;
    rule_files?: string[];
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };
  cfg.global.scrape_interval = '1s';
  cfg.global.evaluation_interval = '1s';
  // Alert rules play no part in what the plugin shows.
  delete cfg.rule_files;
  for (const job of cfg.scrape_configs) {
    const target = targets[job.job_name];
    if (!target) {
      throw new Error(`no test target for scrape job ${job.job_name}`);
    }
    job.static_configs = [{ targets: [target] }];
  }
  return stringify(cfg);
}

export async function startStack(): Promise<Stack> {
  ensureProbeBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 't3-browser-stack-'));
  const servers: Server[] = [];
  let lab: Lab | undefined;
  const stop = async () => {
    for (const server of servers.reverse()) {
      await server.stop();
    }
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    lab = await Lab.start();
    const probe = await startServer(
      't3-probe',
      process.execPath,
      [PROBE_CLI, '--config', lab.writeProbeConfig({ listen: '127.0.0.1:0' })],
      PROBE_STARTED
    );
    servers.push(probe);
    const nodeExporter = await startServer(
      'node_exporter',
      '/usr/bin/prometheus-node-exporter',
      ['--web.listen-address=127.0.0.1:0', '--collector.pressure'],
      LISTENING
    );
    servers.push(nodeExporter);
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      prometheusConfig({ 't3-probe': probe.address, devvm: nodeExporter.address })
    );
    const prometheus = await startServer(
      'prometheus',
      '/usr/bin/prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        '--web.listen-address=127.0.0.1:0',
      ],
      LISTENING
    );
    servers.push(prometheus);
    const prometheusUrl = `http://${prometheus.address}`;
    const query: Stack['query'] = async (expr) => {
      const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { data: { result: Awaited<ReturnType<Stack['query']>> } };
      return body.data.result;
    };
    await waitFor(async () => (await query('up == 1')).length === 2, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'Prometheus scraping the probe and node_exporter',
    });
    return { lab, probeUrl: `http://${probe.address}`, prometheusUrl, query, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The app's two datasources at their default uids, pointed at the stack (for `startHarness`). */
export function stackDatasources(stack: Pick<Stack, 'probeUrl' | 'prometheusUrl'>): HarnessDatasource[] {
  return [
    {
      uid: 't3-attribution',
      name: 't3 probe',
      type: 't3-dropattribution-datasource',
      jsonData: { url: stack.probeUrl },
    },
    { uid: 't3-prometheus', name: 'Prometheus', type: 'prometheus', url: stack.prometheusUrl, isDefault: true },
  ];
}

/**
 * The real monitoring stack behind the browser tests: the lab (stand-in t3 server and one relay per
 * segment), the probe over it, node_exporter standing for devvm, and Prometheus scraping both with the
 * shipped prometheus.yml (jobs and relabelling as provisioned, targets on 127.0.0.1, 1 s intervals).
 */
import { Lab } from '../../lab/lab';
import type { HarnessDatasource } from './harness';
import { probeDatasource, prometheusDatasource } from './appDatasources';
import { waitFor } from '../../lab/wait';
import type { Server } from '../../lab/drive/procs';
import {
  promQuery,
  shippedPrometheusConfig,
  startNodeExporter,
  startPrometheus,
  type PromSample,
} from '../support/stack';
import { ensureProbeBuilt, startProbe } from '../../lab/drive/probe-process';

export interface Stack {
  lab: Lab;
  probeUrl: string;
  prometheusUrl: string;
  /** Instant PromQL query against the stack's Prometheus. */
  query(expr: string): Promise<PromSample[]>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  ensureProbeBuilt();
  const servers: Server[] = [];
  let lab: Lab | undefined;
  const stop = async () => {
    for (const server of servers.reverse()) {
      await server.stop();
    }
    await lab?.stop();
  };
  try {
    lab = await Lab.start();
    const probe = await startProbe(lab.writeProbeConfig({ listen: '127.0.0.1:0' }));
    servers.push(probe);
    const nodeExporter = await startNodeExporter();
    servers.push(nodeExporter);
    // Alert rules play no part in what the plugin shows.
    const prometheus = await startPrometheus(
      shippedPrometheusConfig({ 't3-probe': probe.address, devvm: nodeExporter.address }, { rules: false })
    );
    servers.push(prometheus);
    const query: Stack['query'] = (expr) => promQuery(prometheus.address, expr);
    await waitFor(async () => (await query('up == 1')).length === 2, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'Prometheus scraping the probe and node_exporter',
    });
    return { lab, probeUrl: `http://${probe.address}`, prometheusUrl: `http://${prometheus.address}`, query, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The app's two datasources at their default uids, pointed at the stack (for `startHarness`). */
export function stackDatasources(stack: Pick<Stack, 'probeUrl' | 'prometheusUrl'>): HarnessDatasource[] {
  return [probeDatasource(stack.probeUrl), prometheusDatasource(stack.prometheusUrl)];
}

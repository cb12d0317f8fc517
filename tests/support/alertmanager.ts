/**
 * Debian's Alertmanager (prometheus-alertmanager 0.25) for integration tests, beside the Prometheus
 * helpers of stack.ts: started on port 0 with clustering off and a scratch storage directory, found by
 * its own "Listening on" log line, and a webhook receiver on loopback that records what it delivers.
 * stop() and close() resolve only once the process has exited and the server is closed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Server } from '../../lab/drive/procs';
import { startGoServer } from './stack';

const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

/** An Alertmanager running `config` (see webhookAlertmanagerConfig); `--cluster.listen-address=` turns its gossip cluster off, so it binds no fixed port. */
export function startAlertmanager(config: string): Promise<Server> {
  return startGoServer('alertmanager', ALERTMANAGER_BIN, 'alertmanager.yml', config, (dir) => [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    '--web.listen-address=127.0.0.1:0',
    '--cluster.listen-address=',
  ]);
}

/**
 * An Alertmanager config that sends everything to one webhook, one notification per alertname and
 * `groupBy` labels, quickly (group_wait and group_interval 1 s) and with resolved notifications.
 */
export function webhookAlertmanagerConfig(url: string, groupBy: string[] = []): string {
  return stringify({
    route: {
      receiver: 'webhook',
      group_by: ['alertname', ...groupBy],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [{ name: 'webhook', webhook_configs: [{ url, send_resolved: true }] }],
  });
}

/**
 * `prometheusConfig` (YAML, e.g. stack.ts's shippedPrometheusConfig) sending its alerts to the
 * Alertmanager at `alertmanager` (host:port), with `externalLabels` added to the global ones.
 */
export function withAlertmanager(
  prometheusConfig: string,
  alertmanager: string,
  externalLabels: Record<string, string> = {}
): string {
  const cfg = parse(prometheusConfig) as { global?: Record<string, unknown> } & Record<string, unknown>;
  const global = (cfg.global ??= {});
  global.external_labels = { ...((global.external_labels as Record<string, string>) ?? {}), ...externalLabels };
  cfg.alerting = { alertmanagers: [{ static_configs: [{ targets: [alertmanager] }] }] };
  return stringify(cfg);
}

/** One alert of a webhook notification (Alertmanager's webhook payload, version 4). */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

interface WebhookNotification {
  version: string;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
  /** When the receiver got it (Unix ms); not part of the payload. */
  receivedAt: number;
}

export interface WebhookReceiver {
  /** The URL to give Alertmanager. */
  url: string;
  /** Every notification delivered so far, in order. */
  notifications: WebhookNotification[];
  /** Requests that were not a JSON POST to the URL's path, as "METHOD path: why". */
  rejected: string[];
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 (port 0) that records every notification POSTed to /alerts. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: WebhookNotification[] = [];
  const rejected: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const what = `${req.method ?? '?'} ${req.url ?? '?'}`;
      if (req.method !== 'POST' || req.url !== '/alerts') {
        rejected.push(`${what}: not a POST to /alerts`);
        res.writeHead(404).end();
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<WebhookNotification, 'receivedAt'>;
        notifications.push({ ...body, receivedAt: Date.now() });
        res.writeHead(200).end();
      } catch (err) {
        rejected.push(`${what}: ${(err as Error).message}`);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    notifications,
    rejected,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// T3SegmentSuspected end to end through real parts: a real Prometheus (Debian's) loading the shipped
// prometheus.yml and rule files, scraping every second the probe's own metrics code (ProbeMetrics, the
// registry the probe serves on /metrics, with every segment's incident counter from 0) which the test
// bumps as the probe does when it closes an incident, and sending its alerts to a real Alertmanager
// (Debian's prometheus-alertmanager) that delivers to a webhook on loopback. The notification must name
// the segment in words and carry an absolute link to the triage page for the alert's 10-minute window.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeMetrics } from '../../probe-sidecar/src/metrics';
import { DEFAULT_TOPOLOGY } from '../../src/attribution';
import { parseTriageParams } from '../../src/pages/triage/triageUrl';
import { waitFor } from '../../lab/wait';
import {
  startAlertmanager,
  startWebhookReceiver,
  webhookAlertmanagerConfig,
  withAlertmanager,
  type WebhookAlert,
  type WebhookReceiver,
} from '../support/alertmanager';
import type { Server } from '../../lab/drive/procs';
import { getJson } from '../../lab/drive/probe-http';
import { promQuery, shippedPrometheusConfig, startPrometheus } from '../support/stack';
import { IDS } from './files';

/** The external label the rules build links from: a Grafana under a sub-path, as many are. */
const GRAFANA_URL = 'https://grafana.example.test:3443/ops';
const WINDOW_MS = 10 * 60 * 1000;

/** A plain HTTP server on 127.0.0.1 (port 0) answering GET /metrics with `body()`. */
async function metricsServer(
  body: () => Promise<string>,
  contentType: string
): Promise<{ address: string; close(): Promise<void> }> {
  const server: HttpServer = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    body().then(
      (text) => res.writeHead(200, { 'content-type': contentType }).end(text),
      (err: Error) => res.writeHead(500).end(err.message)
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const metrics = new ProbeMetrics(DEFAULT_TOPOLOGY, 'alertmanager-test');
const processes: Server[] = [];
const closers: Array<() => Promise<void>> = [];
let hook: WebhookReceiver;
let prom: string;

const query = (expr: string) => promQuery(prom, expr);

/** Counts one closed incident suspecting `suspect`, as the probe does, and waits for Prometheus to see it. */
async function incident(suspect: string): Promise<void> {
  metrics.incidents.inc({ suspect });
  const want = (await metrics.incidents.get()).values.find((v) => v.labels.suspect === suspect)!.value;
  await waitFor(async () => (await query(`t3probe_incidents_total{suspect="${suspect}"} == ${want}`)).length === 1, {
    timeoutMs: 15_000,
    intervalMs: 100,
    what: `Prometheus scraped ${suspect}'s incident ${want}`,
  });
}

/** The T3SegmentSuspected alerts the webhook has received for `suspect`, firing or resolved. */
function delivered(suspect: string): WebhookAlert[] {
  return hook.notifications
    .flatMap((n) => n.alerts)
    .filter((a) => a.labels.alertname === 'T3SegmentSuspected' && a.labels.suspect === suspect);
}

interface PromAlert {
  labels: Record<string, string>;
  state: string;
}
async function activeSuspects(): Promise<string[]> {
  const body = await getJson<{ data: { alerts: PromAlert[] } }>(`http://${prom}/api/v1/alerts`);
  return body.data.alerts
    .filter((a) => a.labels.alertname === 'T3SegmentSuspected')
    .map((a) => a.labels.suspect!)
    .sort();
}

beforeAll(async () => {
  // A healthy probe: every leg connected, so no other alert is on its way.
  for (const leg of DEFAULT_TOPOLOGY.legs) {
    metrics.connected.set({ leg: leg.name }, 1);
  }
  hook = await startWebhookReceiver();
  closers.push(() => hook.close());
  const probe = await metricsServer(() => metrics.registry.metrics(), metrics.registry.contentType);
  closers.push(() => probe.close());
  // devvm's job must scrape something: an empty exposition (no pressure, T3DevvmPressure stays quiet).
  const devvm = await metricsServer(() => Promise.resolve(''), 'text/plain; version=0.0.4');
  closers.push(() => devvm.close());

  const am = await startAlertmanager(webhookAlertmanagerConfig(hook.url, ['suspect']));
  processes.push(am);
  const config = shippedPrometheusConfig({ 't3-probe': probe.address, devvm: devvm.address }, { rules: true });
  const prometheus = await startPrometheus(withAlertmanager(config, am.address, { grafana_url: GRAFANA_URL }));
  processes.push(prometheus);
  prom = prometheus.address;
  // Both targets up, and 5 s of the probe's counters behind us: one incident on a counter that young
  // could be extrapolated to nearly 2 (see t3-segment-suspected.test.yml); after 5 samples at most 1.3.
  await waitFor(
    async () =>
      (await query('up == 1')).length === 2 &&
      (await query('count_over_time(t3probe_incidents_total{suspect="serve"}[1m]) >= 5')).length === 1,
    { timeoutMs: 30_000, intervalMs: 250, what: 'both targets up with 5 samples of the probe' }
  );
  // Prometheus has found the Alertmanager.
  await waitFor(
    async () =>
      (
        await getJson<{ data: { activeAlertmanagers: Array<{ url: string }> } }>(`http://${prom}/api/v1/alertmanagers`)
      ).data.activeAlertmanagers.some((a) => a.url.includes(am.address)),
    { timeoutMs: 15_000, intervalMs: 250, what: 'Prometheus discovers the Alertmanager' }
  );
});

afterAll(async () => {
  // Prometheus first (it sends to Alertmanager), then Alertmanager (it posts to the webhook), each
  // resolved only once its process has exited; then the in-process servers.
  const results: Array<PromiseSettledResult<void>> = [];
  for (const p of [...processes].reverse()) {
    results.push(...(await Promise.allSettled([p.stop()])));
  }
  results.push(...(await Promise.allSettled(closers.map((c) => c()))));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    throw new Error(failed.map((f) => String(f.reason)).join('; '));
  }
});

describe('T3SegmentSuspected through a real Alertmanager to a webhook', () => {
  it('two incidents on one segment: delivered with the segment in words and an absolute triage link', async () => {
    // One incident each on two other segments first: they must stay quiet (counted per segment).
    await incident('traefik');
    await incident('dispatch');
    await incident('serve');
    const secondAt = Date.now();
    await incident('serve');

    const [alert] = await waitFor(() => (delivered('serve').length > 0 ? delivered('serve') : null), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'the webhook receives T3SegmentSuspected for serve',
    });
    const receivedAt = hook.notifications.find((n) => n.alerts.includes(alert!))!.receivedAt;
    expect(alert).toMatchObject({
      status: 'firing',
      labels: { alertname: 'T3SegmentSuspected', suspect: 'serve', severity: 'warning', grafana_url: GRAFANA_URL },
      annotations: {
        summary: 't3 serve process and its host (serve) suspected in 2 t3 incidents within 10 minutes',
        __dashboardUid__: 't3-drop-attribution',
        __panelId__: '5',
      },
    });
    expect(alert!.annotations.description).toContain('to segment serve:');

    // The link: absolute, to the app's triage page under Grafana's root, for the 10 minutes up to the
    // evaluation that fired, which came after Prometheus saw the second incident and before delivery.
    const link = new URL(alert!.annotations.runbook_url!);
    expect(`${link.origin}${link.pathname}`).toBe(`${GRAFANA_URL}${IDS.triagePath}`);
    expect([...link.searchParams.keys()].sort()).toEqual(['from', 'to']);
    const parsed = parseTriageParams(link.search, Date.now());
    expect(parsed).toMatchObject({ ok: true, window: { source: 'range', leg: null } });
    const window = parsed.ok ? parsed.window : null;
    expect(window!.to - window!.from).toBe(WINDOW_MS);
    expect(window!.to).toBeGreaterThanOrEqual(secondAt - 1_000);
    expect(window!.to).toBeLessThanOrEqual(receivedAt);

    // Only serve: the same evaluation saw traefik and dispatch at one incident each.
    expect(await activeSuspects()).toEqual(['serve']);
    expect(delivered('traefik')).toEqual([]);
    expect(delivered('dispatch')).toEqual([]);
    expect(hook.rejected).toEqual([]);
  });

  it("the probe's own host counts too, and says it is the probe's", async () => {
    await incident('probe');
    await incident('probe');
    const [alert] = await waitFor(() => (delivered('probe').length > 0 ? delivered('probe') : null), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'the webhook receives T3SegmentSuspected for probe',
    });
    expect(alert).toMatchObject({
      status: 'firing',
      labels: { alertname: 'T3SegmentSuspected', suspect: 'probe' },
      annotations: { summary: "The probe's own host (probe) suspected in 2 t3 incidents within 10 minutes" },
    });
    expect(new URL(alert!.annotations.runbook_url!).href.startsWith(`${GRAFANA_URL}${IDS.triagePath}?from=`)).toBe(
      true
    );
    // One notification per segment (the test's route groups by suspect), each with its own alert only.
    for (const n of hook.notifications) {
      expect(new Set(n.alerts.map((a) => a.labels.suspect)).size).toBe(1);
    }
    expect(await activeSuspects()).toEqual(['probe', 'serve']);
  });
});

// The whole Prometheus side for real: the lab (stand-in t3 server and hops), the real probe, a real
// node_exporter and a real Prometheus running our scrape config and rule files (pointed at 127.0.0.1,
// scraping every second). After real faults, every PromQL expression of the dashboards, the Grafana
// rules and the rule files must return data, and the real rules must see the faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../lab/lab';
import { sleep, waitFor } from '../../lab/wait';
import { allExpressions } from './files';
import type { Server } from '../../lab/drive/procs';
import { getJson, metricValue } from '../../lab/drive/probe-http';
import { startProbe } from '../../lab/drive/probe-process';
import {
  promQuery,
  shippedPrometheusConfig,
  startNodeExporter,
  startPrometheus,
  type PromSample,
} from '../support/stack';
import { comparisonOperand, substituteGrafanaVars } from './promql';
import { expandExpr } from '../../src/pages/triage/promQueries';
import { PANEL_QUERIES } from '../../src/shared/promql';

/** Grafana's variables as the dashboards would fill them for a 10-minute range with 1 s scrapes. */
const VARS = { __range: '10m', __rate_interval: '5s', __interval: '1s', leg: '.*', instance: 'devvm' };
/**
 * node_exporter 1.5 (Debian's) has no CPU "full" PSI; newer ones (the compose image) do. Allowed to be
 * empty only while the scraped node_exporter really lacks the metric (checked below).
 */
const NEEDS_NEWER_NODE_EXPORTER = 'node_pressure_cpu_stalled_seconds_total';

let lab: Lab;
const servers: Server[] = [];
let prom: string;
let probe: string;
/** Unix seconds when both targets were first up: Prometheus has samples from then on. */
let upSince: number;

const query = (expr: string, timeSeconds?: number): Promise<PromSample[]> => promQuery(prom, expr, timeSeconds);

/** Sum of the probe's own /metrics samples of `name` with these labels. */
async function probeMetric(name: string, labels: Record<string, string>): Promise<number> {
  const res = await fetch(`http://${probe}/metrics`, { signal: AbortSignal.timeout(5_000) });
  return metricValue(await res.text(), name, labels);
}

interface Alert {
  labels: Record<string, string>;
  state: string;
}

/** Prometheus' active alerts (pending and firing). */
async function alerts(): Promise<Alert[]> {
  return (await getJson<{ data: { alerts: Alert[] } }>(`http://${prom}/api/v1/alerts`)).data.alerts;
}

beforeAll(async () => {
  // Ticket auth with a token the lab can revoke, as the real t3 server has it.
  lab = await Lab.start({ auth: 'ticket' });
  const probeServer = await startProbe(lab.writeProbeConfig({ listen: '127.0.0.1:0' }));
  servers.push(probeServer);
  probe = probeServer.address;
  const nodeExporter = await startNodeExporter();
  servers.push(nodeExporter);
  const prometheus = await startPrometheus(
    shippedPrometheusConfig({ 't3-probe': probe, devvm: nodeExporter.address }, { rules: true })
  );
  servers.push(prometheus);
  prom = prometheus.address;
  await waitFor(async () => (await query('up == 1')).length === 2, {
    timeoutMs: 20_000,
    intervalMs: 250,
    what: 'both scrape targets up',
  });
  upSince = Date.now() / 1000;
});

afterAll(async () => {
  // The probe writes into the lab's directory (its dataDir) until it has exited, and lab.stop() removes
  // that directory: every server first (each stop() resolves once its process has exited), then the lab.
  const results = await Promise.allSettled([...servers].reverse().map((s) => s.stop()));
  results.push(...(await Promise.allSettled([lab?.stop()])));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    throw new Error(failed.map((f) => String(f.reason)).join('; '));
  }
});

describe('the shipped Prometheus config and rules against the real probe and node_exporter', () => {
  it('scrapes job t3-probe and job devvm with instance="devvm"', async () => {
    const up = await query('up');
    expect(up.map((s) => `${s.metric.job}/${s.metric.instance}`).sort()).toEqual(['devvm/devvm', `t3-probe/${probe}`]);
  });

  it("offers the dashboards' variable values: the legs and the devvm instance", async () => {
    const values = async (label: string, match: string) =>
      (
        (await (
          await fetch(`http://${prom}/api/v1/label/${label}/values?match[]=${encodeURIComponent(match)}`, {
            signal: AbortSignal.timeout(5_000),
          })
        ).json()) as { data: string[] }
      ).data;
    expect(await values('leg', 't3probe_connected')).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(await values('instance', 'up{job="devvm"}')).toEqual(['devvm']);
  });

  it('sees real faults: drops counted, the burst alert firing and the down leg pending', async () => {
    // Three resets of the cloudflare leg: kill its cf-edge hop, bring it back, wait for the reconnect.
    for (let i = 1; i <= 3; i++) {
      const before = await probeMetric('t3probe_disconnects_total', { leg: 'cloudflare' });
      await lab.kill('cf-edge');
      await waitFor(async () => (await probeMetric('t3probe_disconnects_total', { leg: 'cloudflare' })) > before, {
        timeoutMs: 15_000,
        intervalMs: 100,
        what: `drop ${i} counted`,
      });
      await lab.restart('cf-edge');
      await waitFor(async () => (await probeMetric('t3probe_connected', { leg: 'cloudflare' })) === 1, {
        timeoutMs: 15_000,
        intervalMs: 100,
        what: `reconnect ${i}`,
      });
    }
    // Then a silent black hole: the leg goes down and stays down.
    lab.freeze('cf-edge');
    await waitFor(async () => (await query('t3probe_connected{leg="cloudflare"} == 0')).length === 1, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'Prometheus sees cloudflare down',
    });

    const burst = await waitFor(async () => (await alerts()).find((a) => a.labels.alertname === 'T3ProbeDropBurst'), {
      timeoutMs: 15_000,
      intervalMs: 250,
      what: 'T3ProbeDropBurst',
    });
    expect(burst).toMatchObject({ state: 'firing', labels: { leg: 'cloudflare', severity: 'warning' } });
    const down = await waitFor(async () => (await alerts()).find((a) => a.labels.alertname === 'T3ProbeLegDown'), {
      timeoutMs: 15_000,
      intervalMs: 250,
      what: 'T3ProbeLegDown',
    });
    expect(down).toMatchObject({ state: 'pending', labels: { leg: 'cloudflare', severity: 'critical' } });
    const firingLegs = (await alerts())
      .filter((a) => a.labels.alertname?.startsWith('T3Probe'))
      .map((a) => a.labels.leg);
    expect(new Set(firingLegs)).toEqual(new Set(['cloudflare']));
    // A path fault is not the probe's configuration: not even pending.
    expect((await alerts()).filter((a) => a.labels.alertname === 'T3ProbeMisconfigured')).toEqual([]);
  });

  it('every rule evaluates without error', async () => {
    const body = await getJson<{
      data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
    }>(`http://${prom}/api/v1/rules`);
    const rules = body.data.groups.flatMap((g) => g.rules);
    expect(rules.length).toBe(8);
    for (const r of rules) {
      expect(r.health, `${r.name}: ${r.lastError ?? ''}`).toBe('ok');
    }
  });

  it('every PromQL expression of dashboards, Grafana rules and rule files returns data', async () => {
    const metrics = await (
      await fetch(`http://${servers[1]!.address}/metrics`, { signal: AbortSignal.timeout(5_000) })
    ).text();
    const cpuFullExported = metrics.includes(`\n${NEEDS_NEWER_NODE_EXPORTER} `);
    // An alert's expression is empty while it is quiet (devvm under no pressure, no leg refused for the
    // probe's own credentials, no segment suspected twice); its measured side must have data then.
    const exprs = allExpressions().map((e) => {
      const operand = comparisonOperand(e.expr);
      const quietAlert =
        operand !== null &&
        (e.expr.includes('node_pressure') ||
          operand.startsWith('t3probe_leg_misconfigured') ||
          e.expr.includes('t3probe_incidents_total'));
      return { ...e, expr: substituteGrafanaVars(quietAlert ? operand : e.expr, VARS) };
    });
    const missingNow = async (): Promise<string[]> => {
      const missing: string[] = [];
      for (const e of exprs) {
        if (!cpuFullExported && e.expr.includes(NEEDS_NEWER_NODE_EXPORTER)) {
          continue;
        }
        if ((await query(e.expr)).length === 0) {
          missing.push(`${e.where}: ${e.expr}`);
        }
      }
      return missing;
    };
    // Subqueries at 1m steps need a minute boundary with data behind them: wait for it, bounded.
    const empty = await waitFor(async () => ((await missingNow()).length === 0 ? [] : null), {
      timeoutMs: 90_000,
      intervalMs: 2_000,
      what: 'data for every expression',
    }).catch(async (err: Error) => [err.message, ...(await missingNow())]);
    expect(empty).toEqual([]);
    if (!cpuFullExported) {
      const cpuFull = exprs.filter((e) => e.expr.includes(NEEDS_NEWER_NODE_EXPORTER));
      expect(cpuFull.length, 'the CPU full-stall exception is unused: remove it').toBeGreaterThan(0);
      for (const e of cpuFull) {
        expect(await query(e.expr)).toEqual([]);
      }
    }
  });

  it("the verdict's devvm pressure has data for a window under a minute that holds no whole minute", async () => {
    // Triage lets a user narrow the window to the seconds of a drop: 30 s ending 45 s past a minute.
    const latest = (): number => Math.floor((Date.now() / 1000 - 1 - 45) / 60) * 60 + 45;
    let t = latest();
    if (t < upSince + 3) {
      // Not enough samples behind it yet: wait for the next such moment (at most a minute).
      await sleep((t + 60 + 1) * 1000 - Date.now());
      t = latest();
    }
    const window = { from: (t - 30) * 1000, to: t * 1000, instance: 'devvm' };
    for (const refId of ['psi_io', 'psi_memory']) {
      const expr = expandExpr(PANEL_QUERIES.find((q) => q.refId === refId)!.expr, window);
      const [subquery, atEnd] = expr.split(' or ');
      // The minute-stepped subquery alone finds no point in this window: the case the fallback is for.
      expect(await query(subquery!, t), subquery).toEqual([]);
      const got = await query(expr, t);
      expect(got, expr).toHaveLength(1);
      expect(got[0]!.value[1]).toBe((await query(atEnd!, t))[0]!.value[1]);
    }
  });
  it("a leg refused for the probe's own token: T3ProbeMisconfigured, not T3ProbeLegDown; a new token file heals it", async () => {
    // cloudflare down for its path: cf-edge frozen (still, from the faults above, or now). Then revoke the
    // probe's token and drop the sockets: internal's reconnect is refused (401, auth_failed); cloudflare's
    // never reaches the server.
    lab.freeze('cf-edge');
    const fresh = await lab.revokeToken();
    await lab.serve.closeAll(4000);
    const legsOf = (all: Alert[], name: string): string[] =>
      all
        .filter((a) => a.labels.alertname === name)
        .map((a) => a.labels.leg!)
        .sort();
    const active = await waitFor(
      async () => {
        const all = await alerts();
        const refused = legsOf(all, 'T3ProbeMisconfigured').includes('internal');
        return refused && legsOf(all, 'T3ProbeLegDown').includes('cloudflare') ? all : null;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: 'T3ProbeMisconfigured for internal and T3ProbeLegDown for cloudflare',
      }
    );
    expect((await query('t3probe_leg_misconfigured == 1')).map((s) => s.metric.leg)).toEqual(['internal']);
    expect((await query('t3probe_connected{leg="internal"}'))[0]!.value[1]).toBe('0');
    // Both legs are down; each alert names only its own. LegDown is evaluated before T3ProbeMisconfigured in
    // the same group, on the same samples, so it has seen internal refused.
    expect(legsOf(active, 'T3ProbeLegDown')).toEqual(['cloudflare']);
    expect(legsOf(active, 'T3ProbeMisconfigured')).toEqual(['internal']);
    expect(active.find((a) => a.labels.alertname === 'T3ProbeMisconfigured')).toMatchObject({
      state: 'pending',
      labels: { severity: 'warning' },
    });

    // The probe reads a new token file on its next connect, at once: the leg is back and the alert gone.
    lab.writeTokenFile(fresh);
    await waitFor(async () => !(await alerts()).some((a) => a.labels.alertname === 'T3ProbeMisconfigured'), {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'T3ProbeMisconfigured resolved',
    });
    expect(await probeMetric('t3probe_connected', { leg: 'internal' })).toBe(1);
    expect(await probeMetric('t3probe_leg_misconfigured', { leg: 'internal' })).toBe(0);
  });
});

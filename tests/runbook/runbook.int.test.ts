/**
 * The runbook, end to end and for real: the lab (stand-in t3 server and one process per hop), the built
 * probe, and Debian's Prometheus scraping it. For every row of the attribution table the lab plays a real
 * fault (SIGKILL, SIGSTOP, slow answers) and the test checks what the probe concluded, what it counted,
 * what Prometheus saw and the verdict for the window; then a quiet window, missing data, a probe stall and
 * a probe restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../lab/lab';
import { FINER_LEGS, LEG_SEGMENTS } from '../../lab/probe-config';
import { expectationOf, SCENARIOS, type Scenario } from '../../lab/scenarios';
import { sleep, waitFor } from '../../lab/wait';
import type { Server } from '../../lab/drive/procs';
import { ProbeClient } from '../../lab/drive/probe-client';
import { playScenario, scenarioProblems } from '../../lab/drive/scenario-check';
import { metricValue } from '../../lab/drive/probe-http';
import { startProbe } from '../../lab/drive/probe-process';
import { promQuery, simplePrometheusConfig, startPrometheus } from '../support/stack';

// With the finer legs on, as the demo runs: each scenario's narrower expectation (scenarios.ts `finer`).
const LEGS = [...Object.keys(LEG_SEGMENTS), ...Object.keys(FINER_LEGS)];
const SEGMENTS = ['wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve', 'probe'];

let lab: Lab;
let probe: Server;
let client: ProbeClient;
let prometheus: Server;
let configFile: string;

function counters(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const leg of LEGS) {
    out[`drops:${leg}`] = metricValue(text, 't3probe_disconnects_total', { leg });
  }
  for (const s of SEGMENTS) {
    out[`incidents:${s}`] = metricValue(text, 't3probe_incidents_total', { suspect: s });
  }
  return out;
}

beforeAll(async () => {
  lab = await Lab.start({ auth: 'ticket' });
  configFile = lab.writeProbeConfig({ finer: true, extra: { attribution: { rttStall: '1s' } } });
  probe = await startProbe(configFile);
  client = new ProbeClient(probe.address, LEGS);
  prometheus = await startPrometheus(simplePrometheusConfig({ 't3-probe': probe.address }));
  await waitFor(() => client.allConnected(), { timeoutMs: 20_000, intervalMs: 200, what: 'every leg connected' });
});

afterAll(async () => {
  await Promise.allSettled([prometheus?.stop(), probe?.stop()]);
  await lab?.stop();
});

describe('every row of the runbook, played on the lab', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as [string, Scenario]))('%s', async (_name, scenario) => {
    await client.settle();
    const before = counters(await client.metrics());
    const outcome = await playScenario(client, lab, scenario);
    const expected = expectationOf(scenario, true);
    const expectDrops = expected.legs.length > 0;
    expect(scenarioProblems(scenario, outcome, true)).toEqual([]);

    const after = counters(await client.metrics());
    for (const leg of LEGS) {
      const grew = (after[`drops:${leg}`] as number) - (before[`drops:${leg}`] as number);
      if (expectDrops && expected.legs.includes(leg)) {
        expect(grew, `disconnects of ${leg}`).toBeGreaterThanOrEqual(1);
      } else {
        expect(grew, `disconnects of ${leg}`).toBe(0);
      }
    }
    for (const s of SEGMENTS) {
      const grew = (after[`incidents:${s}`] as number) - (before[`incidents:${s}`] as number);
      expect(grew, `incidents blaming ${s}`).toBe(
        expected.verdict === 'incident' && expected.suspects.includes(s) ? 1 : 0
      );
    }

    // Prometheus saw the same counts the probe exports.
    await waitFor(
      async () => {
        const samples = await promQuery(prometheus.address, 'sum by (leg) (t3probe_disconnects_total)');
        return LEGS.every(
          (leg) => Number(samples.find((x) => x.metric.leg === leg)?.value[1]) === after[`drops:${leg}`]
        );
      },
      { timeoutMs: 10_000, intervalMs: 250, what: 'Prometheus scraped the new counts' }
    );
  });
});

describe('what the probe cannot see, it says', () => {
  it('a window from before the probe started is unknown, naming every leg', async () => {
    const before = Date.now() - 10 * 60_000;
    const verdict = await client.attribution(before, before + 60_000);
    expect(verdict.verdict).toBe('unknown');
    expect(
      verdict.legs
        .filter((l) => !l.hasData)
        .map((l) => l.leg)
        .sort()
    ).toEqual([...LEGS].sort());
  });

  it('a probe frozen past its watchdogs blames only itself', async () => {
    await client.settle();
    const before = await client.metric('t3probe_probe_stalls_total');
    const from = Date.now();
    process.kill(probe.pid, 'SIGSTOP');
    await sleep(5_000);
    process.kill(probe.pid, 'SIGCONT');
    await client.settle();
    const incidents = await client.incidents(from - 3_000);
    for (const incident of incidents) {
      expect(incident.suspects).toEqual(['probe']);
    }
    expect(await client.metric('t3probe_probe_stalls_total')).toBeGreaterThan(before);
    // Frozen, the probe watched nothing: never exonerated, never a path segment.
    const verdict = await client.attribution(from, Date.now());
    expect(verdict.verdict).not.toBe('exonerated');
    expect(verdict.suspects.filter((s) => s !== 'probe')).toEqual([]);
    expect(verdict.hints.map((h) => h.kind)).toContain('probe_stall');
  });

  it('a restart keeps the history, and the gap while it was down is unknown', async () => {
    await client.settle();
    const before = await client.incidents(Date.now() - 3_600_000);
    expect(before.length).toBeGreaterThan(0);
    await probe.stop();
    const down = Date.now();
    await sleep(2_000);
    probe = await startProbe(configFile);
    client.address = probe.address;
    await waitFor(() => client.allConnected(), {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: 'legs connected after restart',
    });
    const after = await client.incidents(Date.now() - 3_600_000);
    expect(after.map((i) => i.id)).toEqual(expect.arrayContaining(before.map((i) => i.id)));
    const gap = await client.attribution(down + 200, down + 1_500);
    expect(gap.verdict).toBe('unknown');
  });
});

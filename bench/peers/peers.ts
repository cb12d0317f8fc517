/**
 * Against the peer people use today: blackbox_exporter (scraped by a real Prometheus every 15 s and every
 * 5 s) and the probe, side by side on one lab, on the same faults at the same moments (faults.ts), each
 * kind `repeat` times. For each fault and tool: detected or not, time to detection, the runbook row named.
 *
 * - probe: detected = a new incident in `/api/v1/incidents` (polled every POLL_MS from the fault's start;
 *   the time is when the answer arrived); the row is the verdict's `runbookRow` for the fault's window.
 * - blackbox: detected = a `probe_success` 0 stored in Prometheus for a scrape started in the window; the
 *   time is that scrape's timestamp plus its duration (when a query could first see it); the row is
 *   judge.ts's reading of the failing targets against the runbook's table.
 *
 * A fault's window runs from its start until the probe has settled and every blackbox target of both
 * setups has had a successful scrape that started after the fault was undone; the next fault starts then.
 */
import type { Server } from '../../lab/drive/procs';
import { promSamples, startPrometheus } from '../../lab/drive/prometheus';
import { sleep, waitFor } from '../../lab/wait';
import { startLabProbe, type LabProbe } from '../lab-probe';
import { pollUntil } from '../poll';
import type { BenchResult } from '../report';
import { blackboxScrapeConfig, blackboxTargets, startBlackbox } from './blackbox';
import { faultsOfRound, type Fault } from './faults';
import { blackboxSamples, judgeBlackbox, recovered, type BlackboxSample, type Outcome } from './judge';
import { tallies, tallyRows, type Trial } from './tally';

const SETUPS = ['15s', '5s'] as const;
const PROBE = 't3-probe';
const TOOLS = [PROBE, ...SETUPS.map((s) => `blackbox ${s}`)];
const POLL_MS = 100;
/**
 * Each fault starts after a random pause of up to the longest scrape interval: the window before it ends
 * on a 15 s scrape, and without the pause every fault would start at the same phase of the scrape grid.
 */
const PHASE_SPREAD_MS = 15_000;
/** Room for the waits around one fault (recovery, the next 15 s scrape, the pause): for the estimate only. */
const GAP_ESTIMATE_MS = 21_000;

interface Peers {
  stack: LabProbe;
  prom: Server;
}

async function storedSamples(prom: Server, fromMs: number, toMs: number): Promise<BlackboxSample[]> {
  const [success, durations] = await Promise.all([
    promSamples(prom.address, 'probe_success', fromMs, toMs),
    promSamples(prom.address, 'scrape_duration_seconds{job=~"blackbox-.*"}', fromMs, toMs),
  ]);
  return blackboxSamples(success, durations);
}

async function blackboxRecovered(prom: Server, afterMs: number): Promise<void> {
  await waitFor(async () => recovered(await storedSamples(prom, afterMs, Date.now()), SETUPS, afterMs), {
    timeoutMs: 60_000,
    intervalMs: 500,
    what: 'a successful blackbox scrape of every target after the fault',
  });
}

async function trial({ stack, prom }: Peers, fault: Fault): Promise<Trial> {
  const { client, lab } = stack;
  const pauseMs = Math.round(Math.random() * PHASE_SPREAD_MS);
  await sleep(pauseMs);
  await client.settle();
  const known = new Set((await client.incidents(Date.now() - 120_000)).map((i) => i.id));
  const t0 = Date.now();
  const seen = pollUntil(async () => (await client.incidents(t0 - 3_000)).find((i) => !known.has(i.id)) ?? null, {
    intervalMs: POLL_MS,
    timeoutMs: fault.durationMs + 5_000,
    what: 'a new incident',
  }).catch(() => null);
  await fault.play(lab);
  const undone = Date.now();
  const hit = await seen;
  await client.settle();
  await blackboxRecovered(prom, undone);
  const t1 = Date.now();
  const verdict = await client.attribution(t0, t1);
  const incidents = (await client.incidents(t0 - 3_000, t1)).filter((i) => !known.has(i.id));
  const probe: Outcome = {
    detected: hit !== null,
    detectionMs: hit === null ? null : hit.at - t0,
    row: hit === null ? null : verdict.runbookRow,
    named: verdict.suspects,
  };
  const samples = await storedSamples(prom, t0 - 1, t1);
  const failed = samples
    .filter((s) => !s.ok)
    .map((s) => ({ ...s, atMs: s.atMs - t0, visibleAtMs: s.visibleAtMs - t0 }));
  const outcomes: Record<string, Outcome> = { [PROBE]: probe };
  for (const setup of SETUPS) {
    outcomes[`blackbox ${setup}`] = judgeBlackbox(
      samples.filter((s) => s.setup === setup),
      t0
    );
  }
  const probeIncidents = incidents.map(({ legs, reasons, suspects, summary }) => ({
    legs,
    reasons,
    suspects,
    summary,
  }));
  return { kind: fault.kind, segment: fault.segment, row: fault.row, t0, pauseMs, outcomes, probeIncidents, failed };
}

const said = (o: Outcome | undefined): string =>
  o?.detected ? `${((o.detectionMs ?? 0) / 1000).toFixed(1)} s row ${o.row ?? '—'} [${o.named.join(',')}]` : 'missed';

export async function peers(repeat: number, log: (line: string) => void): Promise<BenchResult> {
  const perRound = faultsOfRound(0).reduce((ms, f) => ms + f.durationMs + GAP_ESTIMATE_MS, 0);
  log(
    `peers: ${repeat} round(s) of ${faultsOfRound(0).length} faults, about ${Math.ceil((repeat * perRound) / 60_000)} min`
  );
  const stack = await startLabProbe();
  let blackbox: Server | undefined;
  let prom: Server | undefined;
  const trials: Trial[] = [];
  const errors: string[] = [];
  try {
    blackbox = await startBlackbox();
    prom = await startPrometheus(blackboxScrapeConfig(blackbox.address, blackboxTargets(stack.lab.legUrls), SETUPS));
    await blackboxRecovered(prom, Date.now());
    for (let round = 0; round < repeat; round++) {
      for (const fault of faultsOfRound(round)) {
        const what = `${fault.kind} ${fault.segment} ${round + 1}/${repeat}`;
        try {
          const t = await trial({ stack, prom }, fault);
          trials.push(t);
          log(`peers ${what} (row ${t.row}): ${TOOLS.map((tool) => `${tool} ${said(t.outcomes[tool])}`).join('; ')}`);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          errors.push(`${what}: ${why}`);
          log(`peers ${what}: ${why}`);
          // One wedged fault must not spoil the rounds after it.
          await stack.lab.heal();
        }
      }
    }
  } finally {
    await prom?.stop();
    await blackbox?.stop();
    await stack.stop();
  }
  const all = tallies(trials, TOOLS);
  return { rows: tallyRows(all), details: { repeat, setups: SETUPS, pollMs: POLL_MS, tallies: all, trials, errors } };
}

/**
 * Detection latency with the lab's probe config (heartbeat 500 ms / 2 s): for a reset (SIGKILL the tunnel
 * hop) and a silent black hole (SIGSTOP the cf-edge hop), the time from the fault to (1) the cloudflare
 * leg's disconnect counted in /metrics and (2) an open incident with provisional suspects in
 * /api/v1/incidents. Both are polled every POLL_MS from the moment before the fault is injected; the time
 * of a hit is when its answer arrived, so nothing is subtracted.
 */
import type { Incident } from '../src/attribution';
import { metricValue } from '../lab/drive/probe-http';
import type { ProbeClient } from '../lab/drive/probe-client';
import { startLabProbe, type LabProbe } from './lab-probe';
import { pollUntil, type Hit } from './poll';
import type { BenchResult, Row } from './report';
import { max, median, ms } from './stats';

const POLL_MS = 20;
const TIMEOUT_MS = 2_000;
const LEG = 'cloudflare';

interface Trial {
  countedMs: number;
  incidentMs: number;
  /** The slowest request behind either hit: the granularity of this trial's times. */
  requestMs: number;
  suspects: string[];
}

const FAULTS = {
  reset: {
    says: 'reset (SIGKILL tunnel)',
    inject: (s: LabProbe) => s.lab.kill('tunnel'),
    undo: (s: LabProbe) => s.lab.restart('tunnel'),
    countedTargetMs: 1_000,
  },
  blackhole: {
    says: 'silent black hole (SIGSTOP cf-edge)',
    inject: async (s: LabProbe) => s.lab.freeze('cf-edge'),
    undo: async (s: LabProbe) => s.lab.thaw('cf-edge'),
    countedTargetMs: TIMEOUT_MS + 1_000,
  },
} as const;
type FaultName = keyof typeof FAULTS;

async function disconnects(client: ProbeClient): Promise<number> {
  return metricValue(await client.metrics(), 't3probe_disconnects_total', { leg: LEG });
}

async function trial(stack: LabProbe, fault: FaultName): Promise<Trial> {
  const { client } = stack;
  await client.settle();
  const before = await disconnects(client);
  const t0 = Date.now();
  const polls = { intervalMs: POLL_MS, timeoutMs: 15_000 };
  const counted = pollUntil(async () => ((await disconnects(client)) > before ? true : null), {
    ...polls,
    what: 'the disconnect counted',
  });
  const opened = pollUntil(
    async () =>
      (await client.incidents(t0 - 3_000)).find(
        (i: Incident) => i.end === null && i.legs.includes(LEG) && i.suspects.length > 0
      ) ?? null,
    { ...polls, what: 'an open incident with suspects' }
  );
  let hits: [Hit<boolean>, Hit<Incident>];
  try {
    await FAULTS[fault].inject(stack);
    hits = await Promise.all([counted, opened]);
  } finally {
    await Promise.allSettled([counted, opened]);
    await FAULTS[fault].undo(stack);
  }
  const [c, o] = hits;
  return {
    countedMs: c.at - t0,
    incidentMs: o.at - t0,
    requestMs: Math.max(c.requestMs, o.requestMs),
    suspects: o.value.suspects,
  };
}

export async function detection(repeat: number, log: (line: string) => void): Promise<BenchResult> {
  const stack = await startLabProbe();
  const trials: Record<FaultName, Trial[]> = { reset: [], blackhole: [] };
  try {
    for (let i = 1; i <= repeat; i++) {
      for (const fault of Object.keys(FAULTS) as FaultName[]) {
        const t = await trial(stack, fault);
        trials[fault].push(t);
        log(
          `detection ${fault} ${i}/${repeat}: counted ${t.countedMs} ms, open incident ${t.incidentMs} ms (${t.suspects.join(',')})`
        );
      }
    }
  } finally {
    await stack.stop();
  }
  const rows: Row[] = [];
  for (const fault of Object.keys(FAULTS) as FaultName[]) {
    const f = FAULTS[fault];
    const counted = trials[fault].map((t) => t.countedMs);
    const opened = trials[fault].map((t) => t.incidentMs);
    rows.push(
      {
        benchmark: 'detection',
        measure: `${f.says} → disconnect counted (median / max of ${repeat})`,
        result: `${ms(median(counted))} / ${ms(max(counted))}`,
        target: `≤ ${f.countedTargetMs} ms`,
        pass: max(counted) <= f.countedTargetMs,
      },
      {
        benchmark: 'detection',
        measure: `${f.says} → open incident with suspects (median / max of ${repeat})`,
        result: `${ms(median(opened))} / ${ms(max(opened))}`,
        target: `≤ ${TIMEOUT_MS + 2_000} ms`,
        pass: max(opened) <= TIMEOUT_MS + 2_000,
      }
    );
  }
  const requests = Object.values(trials).flatMap((ts) => ts.map((t) => t.requestMs));
  return {
    rows,
    details: { pollMs: POLL_MS, timeoutMs: TIMEOUT_MS, slowestPollRequestMs: max(requests), trials },
  };
}

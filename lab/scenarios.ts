/**
 * The runbook's rows as lab faults: one scenario per row (and per known way each row shows), plus the
 * quiet window a user reports while infra is clean. Shared by `npm run demo`, the runbook integration
 * test, the benchmark and the lab CLI's `--play`, so all of them play exactly the same faults.
 *
 * Timings assume the lab's probe config (heartbeat 500 ms / 2 s, http and tcp 500 ms / 2 s, RTT stall 1 s).
 * Each expectation is the runbook's three legs'; `finer` says what the finer legs narrow it to.
 */
import type { Lab, LabSegment } from './lab';
import { sleep } from './wait';

interface Expectation {
  verdict: 'incident' | 'exonerated';
  /** Legs that drop (none for a stall shorter than the watchdog). */
  legs: string[];
  suspects: string[];
  /** Index of the runbook's attribution table row; null for what no row covers (the probe's own config). */
  row: number | null;
  /**
   * With the finer legs on too (probe-config.ts `finer`), where they tell more than the runbook's three: the
   * legs that drop and the suspects, narrower within the same row. Absent: the same as without them.
   */
  finer?: Pick<Expectation, 'legs' | 'suspects'>;
}

export interface Scenario {
  name: string;
  /** The runbook's words for what is happening. */
  says: string;
  /** The fault, in lab terms. */
  fault: string;
  expect: Expectation;
  /** Only on a lab whose stand-in authenticates (auth `ticket`, as every real t3 server). */
  needsAuth?: true;
  /** Injects the fault and undoes it; resolves once the lab is healthy again. */
  play(lab: Lab): Promise<void>;
}

/** How long a fault lasts: well past the lab's 2 s watchdogs, so every leg through it must notice. */
export const FAULT_MS = 5_000;

/** The two process faults: SIGKILL a segment's process and start a fresh one after FAULT_MS (a restart). */
const killedThenRestarted = (segment: LabSegment) => async (lab: Lab) => {
  await lab.kill(segment);
  await sleep(FAULT_MS);
  await lab.restart(segment);
};

/** …or SIGSTOP it for FAULT_MS: its connections stay open and go silent. */
const frozenThenThawed = (segment: LabSegment) => async (lab: Lab) => {
  lab.freeze(segment);
  await sleep(FAULT_MS);
  lab.thaw(segment);
};

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'tunnel-restart',
    says: '`cloudflare` drops, `internal` clean → Cloudflare edge / QUIC tunnel / WAN',
    fault: 'SIGKILL the tunnel hop, restart it 5 s later (a cloudflared restart)',
    expect: {
      verdict: 'incident',
      legs: ['cloudflare'],
      suspects: ['wan', 'cf-edge', 'tunnel'],
      row: 0,
      // The edge answers its trace throughout: only the tunnel is left.
      finer: { legs: ['cloudflare'], suspects: ['tunnel'] },
    },
    play: killedThenRestarted('tunnel'),
  },
  {
    name: 'edge-blackhole',
    says: '`cloudflare` drops, `internal` clean → Cloudflare edge / QUIC tunnel / WAN',
    fault: 'SIGSTOP the cf-edge hop for 5 s (a silent black hole: half-open connections)',
    expect: {
      verdict: 'incident',
      legs: ['cloudflare'],
      suspects: ['wan', 'cf-edge', 'tunnel'],
      row: 0,
      // The edge leg stalls too, so the tunnel is cleared; no leg tells the WAN from the edge.
      finer: { legs: ['cloudflare', 'edge'], suspects: ['wan', 'cf-edge'] },
    },
    play: frozenThenThawed('cf-edge'),
  },
  {
    name: 'dispatch-freeze',
    says: 'both WS legs drop together → Traefik, dispatch, or devvm reachability',
    fault: 'SIGSTOP the dispatch hop for 5 s',
    expect: {
      verdict: 'incident',
      legs: ['cloudflare', 'internal'],
      suspects: ['traefik', 'dispatch'],
      row: 1,
      // Traefik's entrypoint kept accepting connects.
      finer: { legs: ['cloudflare', 'internal'], suspects: ['dispatch'] },
    },
    play: frozenThenThawed('dispatch'),
  },
  {
    name: 'traefik-restart',
    says: 'both WS legs drop together → Traefik, dispatch, or devvm reachability',
    fault: 'SIGKILL the traefik hop, restart it 5 s later',
    expect: {
      verdict: 'incident',
      legs: ['cloudflare', 'internal'],
      suspects: ['traefik', 'dispatch'],
      row: 1,
      // The connect to Traefik's entrypoint is refused too.
      finer: { legs: ['cloudflare', 'internal', 'traefik'], suspects: ['traefik'] },
    },
    play: killedThenRestarted('traefik'),
  },
  {
    name: 'serve-freeze',
    says: "`t3serve` timeouts → the user's `t3 serve` stalled",
    fault: 'SIGSTOP the t3 serve stand-in for 5 s (an event-loop stall)',
    expect: {
      verdict: 'incident',
      legs: ['cloudflare', 'internal', 't3serve'],
      suspects: ['devvm-net', 'serve'],
      row: 2,
      // devvm's network kept accepting connects: serve alone stalled.
      finer: { legs: ['cloudflare', 'internal', 't3serve'], suspects: ['serve'] },
    },
    play: frozenThenThawed('serve'),
  },
  {
    name: 'serve-slow',
    says: "`t3serve` RTT spikes → the user's `t3 serve` stalled",
    fault: 'delay every Pong and HTTP answer of serve by 1.2 s for 5 s: a stall shorter than the watchdog',
    expect: { verdict: 'incident', legs: [], suspects: ['devvm-net', 'serve'], row: 2 },
    async play(lab) {
      await lab.serve.update({ pongDelayMs: 1_200, httpDelayMs: 1_200 });
      await sleep(FAULT_MS);
      await lab.serve.update({ pongDelayMs: 0, httpDelayMs: 0 });
      await sleep(2_000);
    },
  },
  {
    name: 'token-revoked',
    says: "the probe's token is revoked → the probe's own credentials, no infra blamed",
    fault: "revoke the probe's token on t3 serve for 5 s, then write a new one to the probe's token file (no restart)",
    expect: { verdict: 'incident', legs: ['cloudflare', 'internal'], suspects: ['probe'], row: null },
    needsAuth: true,
    async play(lab) {
      if (!lab.authenticates) {
        throw new Error('token-revoked needs a lab started with auth "ticket"');
      }
      const fresh = await lab.revokeToken();
      await sleep(FAULT_MS);
      lab.writeTokenFile(fresh);
    },
  },
  {
    name: 'user-last-mile',
    says: 'all legs clean while the user dropped → their last mile / device. Infra is exonerated, with data',
    fault: 'nothing: a user reports a drop while every leg stays up',
    expect: { verdict: 'exonerated', legs: [], suspects: ['client'], row: 3 },
    async play() {
      await sleep(FAULT_MS);
    },
  },
];

/** What `scenario` expects of a probe with the runbook's three legs, or with the finer legs on too. */
export function expectationOf(scenario: Scenario, finer: boolean): Omit<Expectation, 'finer'> {
  const { finer: narrower, ...runbook } = scenario.expect;
  return finer && narrower ? { ...runbook, ...narrower } : runbook;
}

/**
 * Issue 12's faults on a lab with users: three users, alice and bob each watched by a leg on their own
 * instance, carol without one (LAB_USERS), and what each user's report must be told
 * (`GET /api/v1/attribution?user=`). Shared by `npm run demo` and the users integration test.
 *
 * The lab for them: `Lab.start({ users: LAB_USERS.all })` and `lab.probeConfig({ unmonitoredUsers:
 * LAB_USERS.unmonitored })`, with the timings of scenarios.ts.
 */
import type { Lab } from './lab';
import { FAULT_MS } from './scenarios';
import { sleep } from './wait';

const MONITORED = ['alice', 'bob'] as const;
const UNMONITORED = ['carol'] as const;

export const LAB_USERS = {
  /** Users with a leg on their own instance (`serve-<user>`). */
  monitored: MONITORED,
  /** Users whose instance exists but no leg watches (the probe config's top-level `users`). */
  unmonitored: UNMONITORED,
  all: [...MONITORED, ...UNMONITORED],
};

interface UserExpectation {
  verdict: 'incident' | 'exonerated';
  suspects: string[];
}

export interface UserScenario {
  name: string;
  /** The runbook's (or issue 12's) words for what is happening. */
  says: string;
  /** The fault, in lab terms. */
  fault: string;
  /** The verdict each user's report gets, by user. */
  expect: Record<string, UserExpectation>;
  /** Injects the fault and undoes it. */
  play(lab: Lab): Promise<void>;
}

export const USER_SCENARIOS: readonly UserScenario[] = [
  {
    name: 'user-cgroup-stall',
    says: "one user's serve stalls inside its cgroup → that user's `t3 serve` stalled (their cgroup)",
    fault: "SIGSTOP alice's own serve instance for 5 s (a runaway agent held inside her cgroup)",
    expect: {
      alice: { verdict: 'incident', suspects: ['serve.alice'] },
      bob: { verdict: 'exonerated', suspects: ['client'] },
      carol: { verdict: 'exonerated', suspects: ['client', 'serve.carol'] },
    },
    async play(lab) {
      lab.freeze('serve.alice');
      await sleep(FAULT_MS);
      lab.thaw('serve.alice');
    },
  },
  {
    name: 'box-freeze',
    says: 'devvm freezes (memory/IO storm) → every instance stalls with the host: the shared path, for every user',
    fault: 'SIGSTOP every serve instance at once (the shared one, alice’s, bob’s, carol’s) for 5 s',
    expect: {
      alice: { verdict: 'incident', suspects: ['devvm-net', 'serve'] },
      bob: { verdict: 'incident', suspects: ['devvm-net', 'serve'] },
      carol: { verdict: 'incident', suspects: ['devvm-net', 'serve'] },
    },
    async play(lab) {
      lab.freezeBox();
      await sleep(FAULT_MS);
      lab.thawBox();
    },
  },
];

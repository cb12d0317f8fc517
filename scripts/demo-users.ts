/**
 * The demo's per-user part (issue 12): a lab with three users, each with their own `t3 serve` instance
 * behind dispatch (alice and bob watched by a leg on their own instance, carol by none), and a probe of its
 * own on it. Plays the user scenarios (user-scenarios.ts) and prints what each user's report is told.
 */
import { Lab } from '../lab/lab';
import { LAB_USERS, USER_SCENARIOS } from '../lab/user-scenarios';
import { waitFor } from '../lab/wait';
import type { Server } from '../lab/drive/procs';
import { ProbeClient } from '../lab/drive/probe-client';
import { startProbe } from '../lab/drive/probe-process';
import { playUserScenario, userScenarioProblems } from '../lab/drive/user-scenario-check';
import type { Verdict } from '../src/attribution';

interface UsersDemo {
  /** `host:port` of this part's probe API. */
  address: string;
  /** Plays every user scenario, printing each user's verdict; true when all of them were right. */
  play(): Promise<boolean>;
  stop(): Promise<void>;
}

/** A verdict as the demo prints it for one user: the headline, then the suspects, indented under it. */
function describeForUser(user: string, v: Verdict): string[] {
  return [`   ${`${user}:`.padEnd(9)} ${v.verdict} — ${v.headline}`, `             suspects: ${v.suspects.join(', ')}`];
}

export async function startUsersDemo(say: (line?: string) => void): Promise<UsersDemo> {
  const [a, b] = LAB_USERS.monitored;
  say(
    `Per user: a second lab with ${LAB_USERS.all.length} users, each with their own t3 serve instance behind dispatch`
  );
  say(`(t3-serve@<user> on devvm): ${a} and ${b} each watched by a leg on their own instance (serve-${a},`);
  say(`serve-${b}), ${LAB_USERS.unmonitored.join(', ')} by none. Each user's report gets its own verdict (?user=).`);
  const lab = await Lab.start({ auth: 'ticket', users: LAB_USERS.all });
  let probe: Server | undefined;
  const stop = async (): Promise<void> => {
    await probe?.stop();
    await lab.stop();
  };
  try {
    const opts = { unmonitoredUsers: LAB_USERS.unmonitored, extra: { attribution: { rttStall: '1s' } } };
    probe = await startProbe(lab.writeProbeConfig(opts));
    const legs = lab.probeConfig(opts).legs.map((l) => String(l.name));
    const client = new ProbeClient(probe.address, legs);
    await waitFor(() => client.allConnected(), { timeoutMs: 20_000, intervalMs: 200, what: 'every leg connected' });
    say(`Probe up on http://${probe.address} — all ${legs.length} legs connected (${legs.join(', ')}).`);
    return { address: probe.address, play: () => playAll(client, lab, say), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function playAll(client: ProbeClient, lab: Lab, say: (line?: string) => void): Promise<boolean> {
  let right = 0;
  for (const [i, scenario] of USER_SCENARIOS.entries()) {
    say();
    say(`${i + 1}/${USER_SCENARIOS.length} ${scenario.says}`);
    say(`   fault:    ${scenario.fault}`);
    const outcome = await playUserScenario(client, lab, scenario);
    say(`   each user reports a drop between ${clock(outcome.from)} and ${clock(outcome.to)} UTC`);
    for (const [user, verdict] of Object.entries(outcome.verdicts)) {
      describeForUser(user, verdict).forEach((line) => say(line));
    }
    const problems = userScenarioProblems(scenario, outcome);
    right += problems.length === 0 ? 1 : 0;
    say(`   ${problems.length === 0 ? '✓ each user told what issue 12 says' : `✗ ${problems.join('; ')}`}`);
  }
  say();
  say(`${right}/${USER_SCENARIOS.length} user scenarios attributed to the right users.`);
  return right === USER_SCENARIOS.length;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

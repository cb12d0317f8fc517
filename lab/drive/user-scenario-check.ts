/**
 * Plays one user scenario (user-scenarios.ts) against a running lab with users and its probe, and says what
 * each user's report was told (`GET /api/v1/attribution?user=`) against what the scenario expects. Shared
 * by the users integration test and `npm run demo`, so both judge by the same rules.
 */
import type { Lab } from '../lab';
import type { UserScenario } from '../user-scenarios';
import type { ProbeClient } from './probe-client';
import { playScenario } from './scenario-check';
import type { Verdict } from '../../src/attribution';

interface UserScenarioOutcome {
  from: number;
  to: number;
  /** By user: the verdict for that user's report of a drop in the window. */
  verdicts: Record<string, Verdict>;
}

/** Settles, plays the fault, waits for its incidents to close, settles again, then asks for every user. */
export async function playUserScenario(
  client: ProbeClient,
  lab: Lab,
  scenario: UserScenario
): Promise<UserScenarioOutcome> {
  const someIncident = Object.values(scenario.expect).some((e) => e.verdict === 'incident');
  const { from, to } = await playScenario(client, lab, {
    play: (l) => scenario.play(l),
    expect: { verdict: someIncident ? 'incident' : 'exonerated' },
  });
  const verdicts: Record<string, Verdict> = {};
  for (const user of Object.keys(scenario.expect)) {
    verdicts[user] = await client.attribution(from, to, user);
  }
  return { from, to, verdicts };
}

/** Every way a user's verdict differs from the scenario's expectation; empty when the probe got them all right. */
export function userScenarioProblems(scenario: UserScenario, outcome: UserScenarioOutcome): string[] {
  const problems: string[] = [];
  for (const [user, expected] of Object.entries(scenario.expect)) {
    const got = outcome.verdicts[user];
    if (!got) {
      problems.push(`${user}: no verdict`);
      continue;
    }
    if (got.user !== user) {
      problems.push(`${user}: the verdict is for ${JSON.stringify(got.user)}`);
    }
    if (got.verdict !== expected.verdict) {
      problems.push(`${user}: verdict ${got.verdict}, expected ${expected.verdict}`);
    }
    if (JSON.stringify(got.suspects) !== JSON.stringify(expected.suspects)) {
      problems.push(`${user}: suspects ${JSON.stringify(got.suspects)}, expected ${JSON.stringify(expected.suspects)}`);
    }
    if (expected.verdict === 'incident' && got.incidents.length === 0) {
      problems.push(`${user}: an incident verdict without an incident`);
    }
  }
  return problems;
}

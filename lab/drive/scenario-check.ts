/**
 * Plays one runbook scenario against a running lab and probe, and says what the probe concluded against
 * what the scenario expects: the incident (legs that dropped, suspects) and the verdict for the window.
 * Shared by the runbook integration test and the accuracy benchmark, so both judge by the same rules.
 */
import type { Lab } from '../lab';
import { expectationOf, type Scenario } from '../scenarios';
import type { ProbeClient } from './probe-client';
import type { Incident, Verdict } from '../../src/attribution';

interface ScenarioOutcome {
  /** When the fault started and when the probe had settled again. */
  from: number;
  to: number;
  /** Incidents that started since shortly before the fault. */
  incidents: Incident[];
  verdict: Verdict;
}

/** What playScenario needs of a scenario (a runbook one, or a user scenario's fault). */
type Playable = Pick<Scenario, 'play'> & { expect: Pick<Scenario['expect'], 'verdict'> };

/** Settles, plays the fault, waits for its incident (if one is expected) to close, settles again. */
export async function playScenario(client: ProbeClient, lab: Lab, scenario: Playable): Promise<ScenarioOutcome> {
  await client.settle();
  const from = Date.now();
  await scenario.play(lab);
  // An incident may start up to the engine's clustering slack before the first recorded failure.
  const since = from - 3_000;
  const incidents =
    scenario.expect.verdict === 'exonerated' ? await client.incidents(since) : await client.closedIncidents(since);
  await client.settle();
  const to = Date.now();
  return { from, to, incidents, verdict: await client.attribution(from, to) };
}

/**
 * Every way the outcome differs from the scenario's expectation (with the finer legs on, `finer`, its
 * narrower one); empty when the probe got it right.
 */
export function scenarioProblems(scenario: Scenario, outcome: ScenarioOutcome, finer = false): string[] {
  const expect = expectationOf(scenario, finer);
  const problems: string[] = [];
  const same = (a: readonly string[], b: readonly string[]): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (expect.verdict === 'exonerated') {
    if (outcome.incidents.length > 0) {
      problems.push(`expected no incident, got ${outcome.incidents.map((i) => i.summary).join('; ')}`);
    }
  } else if (outcome.incidents.length !== 1) {
    const seen = outcome.incidents.map((i) => `${i.legs.join('+')} [${i.reasons.join(',')}] → ${i.suspects.join(',')}`);
    problems.push(`expected 1 incident, got ${outcome.incidents.length}: ${seen.join(' | ')}`);
  } else {
    const incident = outcome.incidents[0] as Incident;
    // A stall shorter than the watchdog shows as an incident with legs but no disconnect reasons.
    const dropped = incident.reasons.length > 0 ? [...incident.legs].sort() : [];
    if (!same(dropped, [...expect.legs].sort())) {
      problems.push(`incident legs ${JSON.stringify(dropped)}, expected ${JSON.stringify([...expect.legs].sort())}`);
    }
    if (!same(incident.suspects, expect.suspects)) {
      problems.push(
        `incident suspects ${JSON.stringify(incident.suspects)}, expected ${JSON.stringify(expect.suspects)}`
      );
    }
    if (!incident.summary.includes('→')) {
      problems.push(`incident summary without a path: ${JSON.stringify(incident.summary)}`);
    }
  }
  const { verdict } = outcome;
  if (verdict.verdict !== expect.verdict) {
    problems.push(`verdict ${verdict.verdict}, expected ${expect.verdict}`);
  }
  if (!same(verdict.suspects, expect.suspects)) {
    problems.push(`verdict suspects ${JSON.stringify(verdict.suspects)}, expected ${JSON.stringify(expect.suspects)}`);
  }
  if (verdict.runbookRow !== expect.row) {
    problems.push(`runbook row ${verdict.runbookRow}, expected ${expect.row}`);
  }
  return problems;
}

/**
 * Accuracy: every runbook scenario (lab/scenarios.ts) played `repeat` times against one lab and one
 * probe, judged by the same rules as the runbook integration test (lab/drive/scenario-check.ts).
 */
import { SCENARIOS } from '../lab/scenarios';
import { playScenario, scenarioProblems } from '../lab/drive/scenario-check';
import { startLabProbe } from './lab-probe';
import type { BenchResult, Row } from './report';

export async function accuracy(repeat: number, log: (line: string) => void): Promise<BenchResult> {
  const stack = await startLabProbe();
  const tally = new Map(SCENARIOS.map((s) => [s.name, { correct: 0, failures: [] as string[] }]));
  try {
    // Round-robin over scenarios, so a slow drift of the machine does not land on one scenario only.
    for (let round = 1; round <= repeat; round++) {
      for (const scenario of SCENARIOS) {
        const entry = tally.get(scenario.name)!;
        let problems: string[];
        try {
          problems = scenarioProblems(scenario, await playScenario(stack.client, stack.lab, scenario));
        } catch (err) {
          problems = [err instanceof Error ? err.message : String(err)];
          // One wedged fault must not spoil the rounds after it.
          await stack.lab.heal();
        }
        if (problems.length === 0) {
          entry.correct++;
        } else {
          entry.failures.push(`round ${round}: ${problems.join('; ')}`);
        }
        log(
          `accuracy ${scenario.name} round ${round}/${repeat}: ${problems.length === 0 ? 'ok' : problems.join('; ')}`
        );
      }
    }
  } finally {
    await stack.stop();
  }
  const rows: Row[] = SCENARIOS.map((s) => {
    const { correct } = tally.get(s.name)!;
    return {
      benchmark: 'accuracy',
      measure: `${s.name} attributed correctly`,
      result: `${correct}/${repeat}`,
      target: `${repeat}/${repeat}`,
      pass: correct === repeat,
    };
  });
  return { rows, details: { repeat, scenarios: Object.fromEntries(tally) } };
}

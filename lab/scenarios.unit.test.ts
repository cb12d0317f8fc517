// The scenarios' expectations hold together: what the finer legs narrow a scenario to stays inside the
// row the runbook's three legs name, and the row still matches (the runbook row stays lit).
import { describe, expect, it } from 'vitest';
import { matchRunbookRow } from '../src/attribution/runbook';
import { FINER_LEGS } from './probe-config';
import { expectationOf, SCENARIOS } from './scenarios';

describe('scenario expectations', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: the finer one narrows within the same row', (_n, s) => {
    const runbook = expectationOf(s, false);
    const finer = expectationOf(s, true);
    expect(runbook).not.toHaveProperty('finer');
    expect(finer.row).toBe(runbook.row);
    expect(finer.verdict).toBe(runbook.verdict);
    expect(runbook.suspects).toEqual(expect.arrayContaining(finer.suspects));
    // The finer legs only add legs that drop; the runbook's legs drop as before.
    expect(finer.legs).toEqual(expect.arrayContaining(runbook.legs));
    const added = finer.legs.filter((l) => !runbook.legs.includes(l));
    expect(added.every((l) => l in FINER_LEGS)).toBe(true);
    if (runbook.row !== null && runbook.verdict === 'incident') {
      expect(matchRunbookRow(finer.suspects)).toBe(runbook.row);
    }
  });

  it('names one segment with the finer legs for every fault they can tell apart', () => {
    const single = SCENARIOS.filter((s) => expectationOf(s, true).suspects.length === 1).map((s) => s.name);
    expect(single).toEqual(
      expect.arrayContaining(['tunnel-restart', 'dispatch-freeze', 'traefik-restart', 'serve-freeze'])
    );
    expect(
      expectationOf(
        SCENARIOS.find((s) => s.name === 'tunnel-restart')!,
        true
      ).suspects
    ).toEqual(['tunnel']);
  });
});

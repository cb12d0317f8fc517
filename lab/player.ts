/**
 * Plays scenarios (scenarios.ts) against a running lab, for the lab CLI's `--play`: a quiet gap, then a
 * scenario, and so on, logging one JSON event at each scenario's start and end. A failing scenario is
 * logged, the lab is healed (so one bad fault cannot wedge the next ones) and play goes on. Aborting
 * `signal` ends play at the next gap; a scenario under way is cut short by whoever stops the lab.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Lab } from './lab';
import type { PlayPlan } from './cli-options';

export type PlayEvent = Record<string, unknown> & { event: string };

interface PlayContext {
  signal: AbortSignal;
  log: (event: PlayEvent) => void;
  /** Puts the lab back in a healthy state after a failed scenario (Lab.heal). */
  heal: () => Promise<void>;
}

export async function play(lab: Lab, plan: PlayPlan, ctx: PlayContext): Promise<void> {
  const { signal, log } = ctx;
  for (let round = 1; plan.loop || round === 1; round++) {
    for (const scenario of plan.scenarios) {
      if (!(await quiet(plan.gapMs, signal))) {
        return;
      }
      const started = Date.now();
      const about = { scenario: scenario.name, round };
      if (scenario.needsAuth && !lab.authenticates) {
        log({
          event: 'scenario-skipped',
          ...about,
          why: 'the lab runs without auth (--auth ticket)',
          at: iso(started),
        });
        continue;
      }
      log({ event: 'scenario-start', ...about, fault: scenario.fault, expect: scenario.expect, at: iso(started) });
      try {
        await scenario.play(lab);
        log({ event: 'scenario-end', ...about, ok: true, ms: Date.now() - started, at: iso(Date.now()) });
      } catch (err) {
        if (signal.aborted) {
          return;
        }
        const error = message(err);
        log({ event: 'scenario-end', ...about, ok: false, error, ms: Date.now() - started, at: iso(Date.now()) });
        await ctx.heal().then(
          () => log({ event: 'lab-healed', ...about, at: iso(Date.now()) }),
          (e: unknown) => log({ event: 'heal-failed', ...about, error: message(e), at: iso(Date.now()) })
        );
      }
    }
  }
}

/** Waits `ms`; false if `signal` aborted first. */
async function quiet(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

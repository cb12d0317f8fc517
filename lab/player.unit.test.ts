import { describe, expect, it } from 'vitest';
import type { Lab } from './lab';
import { play, type PlayEvent } from './player';
import type { Scenario } from './scenarios';

const lab = {} as Lab; // the fake scenarios below never touch it

function scenario(name: string, run: () => Promise<void>): Scenario {
  return {
    name,
    says: `${name} says`,
    fault: `${name} fault`,
    expect: { verdict: 'exonerated', legs: [], suspects: ['client'], row: 3 },
    play: run,
  };
}

/** Runs play() until `until` sees enough events (then aborts), bounded by a 5 s guard. */
async function record(
  scenarios: Scenario[],
  opts: { loop: boolean; heal?: () => Promise<void>; until?: (events: PlayEvent[]) => boolean }
): Promise<{ events: PlayEvent[]; heals: number }> {
  const events: PlayEvent[] = [];
  const controller = new AbortController();
  const guard = setTimeout(() => controller.abort(), 5_000);
  let heals = 0;
  await play(
    lab,
    { scenarios, loop: opts.loop, gapMs: 1 },
    {
      signal: controller.signal,
      log: (e) => {
        events.push(e);
        if (opts.until?.(events)) {
          controller.abort();
        }
      },
      heal: async () => {
        heals++;
        await opts.heal?.();
      },
    }
  );
  clearTimeout(guard);
  return { events, heals };
}

const brief = (events: PlayEvent[]) => events.map((e) => [e.event, e.scenario, e.round, e.error ?? e.ok]);

describe('play', () => {
  it('plays a single scenario once, logging its start and end', async () => {
    let plays = 0;
    const { events } = await record([scenario('one', async () => void plays++)], { loop: false });
    expect(plays).toBe(1);
    expect(brief(events)).toEqual([
      ['scenario-start', 'one', 1, undefined],
      ['scenario-end', 'one', 1, true],
    ]);
    expect(events[0]).toMatchObject({ fault: 'one fault', expect: { verdict: 'exonerated' } });
    expect(typeof events[1]!.ms).toBe('number');
  });

  it('logs a failing scenario, heals the lab and keeps looping', async () => {
    const scenarios = [
      scenario('good', async () => undefined),
      scenario('bad', async () => Promise.reject(new Error('tunnel would not restart'))),
    ];
    const { events, heals } = await record(scenarios, {
      loop: true,
      until: (e) => e.filter((x) => x.event === 'scenario-start').length === 3,
    });
    expect(heals).toBe(1);
    expect(brief(events)).toEqual([
      ['scenario-start', 'good', 1, undefined],
      ['scenario-end', 'good', 1, true],
      ['scenario-start', 'bad', 1, undefined],
      ['scenario-end', 'bad', 1, 'tunnel would not restart'],
      ['lab-healed', 'bad', 1, undefined],
      ['scenario-start', 'good', 2, undefined],
      ['scenario-end', 'good', 2, true], // a scenario under way when play is aborted still finishes
    ]);
  });

  it('logs a failed heal and still goes on', async () => {
    const { events } = await record([scenario('bad', async () => Promise.reject(new Error('boom')))], {
      loop: true,
      heal: async () => Promise.reject(new Error('serve will not start')),
      until: (e) => e.filter((x) => x.event === 'scenario-start').length === 2,
    });
    expect(brief(events).slice(2, 4)).toEqual([
      ['heal-failed', 'bad', 1, 'serve will not start'],
      ['scenario-start', 'bad', 2, undefined],
    ]);
  });

  it('stops at the next gap once aborted, and logs no error for a scenario cut short by the stop', async () => {
    const { events, heals } = await record([scenario('cut', async () => Promise.reject(new Error('lab stopped')))], {
      loop: true,
      until: (e) => e.length === 1, // abort right after the first start, before the scenario fails
    });
    expect(heals).toBe(0);
    expect(brief(events)).toEqual([['scenario-start', 'cut', 1, undefined]]);
  });

  it('waits the gap before the first scenario', async () => {
    const controller = new AbortController();
    const events: PlayEvent[] = [];
    const done = play(
      lab,
      { scenarios: [scenario('late', async () => undefined)], loop: false, gapMs: 10_000 },
      { signal: controller.signal, log: (e) => events.push(e), heal: async () => undefined }
    );
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await done;
    expect(events).toEqual([]);
  });
});

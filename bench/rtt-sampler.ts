/**
 * Per-heartbeat RTTs as the probe measured them, without touching the probe: `/api/v1/legs` reports each
 * leg's `lastRttMs` and `lastHeard` (wall time of the last frame). The lab's stand-in sends nothing but
 * Pongs, so each new `lastHeard` of a websocket leg is one new Pong, i.e. one new RTT sample. Polling
 * several times per heartbeat interval sees every sample; a sample is kept once, keyed by `lastHeard`.
 */
import { sleep } from '../lab/wait';
import type { ProbeClient } from '../lab/drive/probe-client';

interface RttSamples {
  /** leg → RTTs in ms, in order. */
  byLeg: Map<string, number[]>;
  /** Polls whose answer did not arrive (the sampler goes on). */
  failedPolls: number;
}

export async function sampleRtts(
  client: ProbeClient,
  opts: { durationMs: number; pollMs: number; legs: readonly string[] }
): Promise<RttSamples> {
  const byLeg = new Map(opts.legs.map((l) => [l, [] as number[]]));
  const seen = new Map<string, number | null>();
  let failedPolls = 0;
  const end = Date.now() + opts.durationMs;
  let first = true;
  while (Date.now() < end) {
    const started = Date.now();
    try {
      const legs = await client.legs();
      for (const leg of legs) {
        const samples = byLeg.get(leg.name);
        // The first answer only sets the baseline: its sample may predate the window.
        if (samples && !first && leg.lastHeard !== seen.get(leg.name) && leg.lastRttMs !== null) {
          samples.push(leg.lastRttMs);
        }
        seen.set(leg.name, leg.lastHeard);
      }
      first = false;
    } catch {
      failedPolls++;
    }
    await sleep(Math.max(0, opts.pollMs - (Date.now() - started)));
  }
  return { byLeg, failedPolls };
}

export function allSamples(s: RttSamples): number[] {
  return [...s.byLeg.values()].flat();
}

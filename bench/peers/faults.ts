/**
 * The peers benchmark's faults, played on the lab as they happen to a real path: black holes (a
 * `SIGSTOP`'d hop holds its connections open and silent) of 3 s, 7 s and 20 s, resets (`SIGKILL` of a hop,
 * restarted `FAULT_MS` later) and serve stalls (the stand-in `SIGSTOP`'d for `FAULT_MS`, as the runbook
 * scenario `serve-freeze`). The hop of a black hole or a reset rotates with the round over one segment of
 * each runbook row, so every kind hits the Cloudflare side, the shared part and the serve side.
 */
import { matchRunbookRow } from '../../src/attribution/runbook';
import type { Lab, SegmentName } from '../../lab/lab';
import { FAULT_MS } from '../../lab/scenarios';
import { sleep } from '../../lab/wait';

export const FAULT_KINDS = ['blackhole-3s', 'blackhole-7s', 'blackhole-20s', 'reset', 'serve-stall'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  kind: FaultKind;
  /** The segment whose process the fault hits. */
  segment: SegmentName;
  /** The runbook row a right attribution names: the most specific row holding `segment`. */
  row: number;
  /** How long the path is broken, in ms. */
  durationMs: number;
  /** Injects the fault and undoes it. */
  play(lab: Lab): Promise<void>;
}

/** One hop of each runbook row (Cloudflare side, shared part, serve side), in the order rounds take them. */
const BLACKHOLE_HOPS = ['cf-edge', 'dispatch', 'devvm-net'] as const;
const RESET_HOPS = ['tunnel', 'traefik', 'devvm-net'] as const;

export const KIND_WORDS: Record<FaultKind, string> = {
  'blackhole-3s': `black hole 3 s (SIGSTOP ${BLACKHOLE_HOPS.join(' / ')})`,
  'blackhole-7s': `black hole 7 s (SIGSTOP ${BLACKHOLE_HOPS.join(' / ')})`,
  'blackhole-20s': `black hole 20 s (SIGSTOP ${BLACKHOLE_HOPS.join(' / ')})`,
  reset: `reset (SIGKILL ${RESET_HOPS.join(' / ')}, restart after ${FAULT_MS / 1000} s)`,
  'serve-stall': `serve stall ${FAULT_MS / 1000} s (SIGSTOP serve)`,
};

function fault(kind: FaultKind, segment: SegmentName, durationMs: number, play: Fault['play']): Fault {
  const row = matchRunbookRow([segment]);
  if (row === null) {
    throw new Error(`no runbook row holds segment ${segment}`);
  }
  return { kind, segment, row, durationMs, play };
}

function frozen(kind: FaultKind, segment: SegmentName, durationMs: number): Fault {
  return fault(kind, segment, durationMs, async (lab) => {
    lab.freeze(segment);
    await sleep(durationMs);
    lab.thaw(segment);
  });
}

function reset(segment: SegmentName): Fault {
  return fault('reset', segment, FAULT_MS, async (lab) => {
    await lab.kill(segment);
    await sleep(FAULT_MS);
    await lab.restart(segment);
  });
}

/** The faults of round `round` (0-based), one of each kind. */
export function faultsOfRound(round: number): Fault[] {
  const hop = <T>(hops: readonly T[]): T => hops[round % hops.length] as T;
  return [
    frozen('blackhole-3s', hop(BLACKHOLE_HOPS), 3_000),
    frozen('blackhole-7s', hop(BLACKHOLE_HOPS), 7_000),
    frozen('blackhole-20s', hop(BLACKHOLE_HOPS), 20_000),
    reset(hop(RESET_HOPS)),
    frozen('serve-stall', 'serve', FAULT_MS),
  ];
}

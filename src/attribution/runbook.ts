import type { HintKind, SegmentId } from './types';

/** The rows of the runbook's attribution table, by id. */
type RunbookRowId = 'cloudflare' | 'shared' | 'serve' | 'client';

/** The runbook's attribution table (§1), in its own words, with the segments each row points at. */
interface RunbookRow {
  id: RunbookRowId;
  pattern: string;
  meaning: string;
  segments: readonly SegmentId[];
  /**
   * The meaning when the suspect is one user's own serve instance (`serve.<user>`, which matches a row as
   * its `serve` does), for the row that has one.
   */
  userMeaning?: string;
  /** The row that clears infra: the drop was on the user's side, which no leg watches. */
  exonerates?: true;
}

/** In the runbook's order; a verdict's `runbookRow` is an index into it. */
export const ATTRIBUTION_TABLE: readonly RunbookRow[] = [
  {
    id: 'cloudflare',
    pattern: '`cloudflare` drops, `internal` clean',
    meaning: 'Cloudflare edge / QUIC tunnel / WAN',
    segments: ['wan', 'cf-edge', 'tunnel'],
  },
  {
    id: 'shared',
    pattern: 'both WS legs drop together',
    meaning: 'Traefik, dispatch, or devvm reachability',
    segments: ['traefik', 'devvm-net', 'dispatch', 'serve'],
  },
  {
    id: 'serve',
    pattern: '`t3serve` RTT spikes / timeouts',
    meaning: "the user's `t3 serve` stalled (see §3)",
    segments: ['devvm-net', 'serve'],
    userMeaning: "that user's `t3 serve` stalled (their cgroup)",
  },
  {
    id: 'client',
    pattern: 'all legs clean while the user dropped',
    meaning: 'their last mile / device. Infra is exonerated, with data.',
    segments: ['client'],
    exonerates: true,
  },
];

export function runbookRow(id: RunbookRowId): RunbookRow {
  return ATTRIBUTION_TABLE.find((r) => r.id === id) as RunbookRow;
}

/** The table's indices, most specific row first: fewest segments first, the runbook's order among equals. */
const MOST_SPECIFIC_FIRST: readonly number[] = ATTRIBUTION_TABLE.map((_, i) => i).sort(
  (a, b) =>
    (ATTRIBUTION_TABLE[a] as RunbookRow).segments.length - (ATTRIBUTION_TABLE[b] as RunbookRow).segments.length || a - b
);

/** The runbook's own serve segment: a user's own instance (`serve.<user>`) matches the rows as it does. */
const SERVE: SegmentId = 'serve';

/**
 * The index of the runbook row whose segments contain every suspect, most specific first; null: none. A
 * user's own instance (`isUserSegment`) counts as the runbook's `serve`.
 */
export function matchRunbookRow(
  suspects: readonly SegmentId[],
  isUserSegment: (id: SegmentId) => boolean = () => false
): number | null {
  if (suspects.length === 0) {
    return null;
  }
  const ids = suspects.map((s) => (isUserSegment(s) ? SERVE : s));
  const match = MOST_SPECIFIC_FIRST.find((i) =>
    ids.every((s) => (ATTRIBUTION_TABLE[i] as RunbookRow).segments.includes(s))
  );
  return match ?? null;
}

/** The runbook's known root causes (§4), each with the hint that says an incident matches its signature. */
export const KNOWN_CAUSES = {
  devvmStorm: {
    title: 'devvm memory/IO storm',
    text: 'a runaway agent inside t3-serve@ swap-thrashes devvm and freezes it; every client drops at once',
    runbook: '§3, §4.1',
    hint: 'known_devvm_storm',
  },
  cloudflaredRestart: {
    title: 'cloudflared restart',
    text: 'every tunnel connection was cut at once and the tunnel answered with errors while it came back (check for an in-place autoupdate: --no-autoupdate)',
    runbook: '§4.2',
    hint: 'known_cloudflared_restart',
  },
  quicChurn: {
    title: 'QUIC tunnel churn',
    text: 'a short cloudflare-only blip ("no recent network activity"), about 1–2 a day, inherent to the tunnel',
    runbook: '§4.3',
    hint: 'known_quic_churn',
  },
  serveDown: {
    title: 't3 serve down',
    text: 'connections to serve were refused: the process was down or restarting (check the t3 nightly autoupdate pin)',
    runbook: '§2, §4.4',
    hint: 'known_serve_down',
  },
} as const satisfies Record<string, { title: string; text: string; runbook: string; hint: HintKind }>;

export type KnownCauseId = keyof typeof KNOWN_CAUSES;

import { KNOWN_CAUSES } from '../../attribution';
import type { HintKind, Verdict } from '../../attribution/types';

type CauseKey = keyof typeof KNOWN_CAUSES;

const CAUSE_OF_HINT: Partial<Record<HintKind, CauseKey>> = {
  known_devvm_storm: 'devvmStorm',
  known_cloudflared_restart: 'cloudflaredRestart',
  known_quic_churn: 'quicChurn',
  known_serve_down: 'serveDown',
};

export interface MatchedCause {
  key: CauseKey;
  title: string;
  text: string;
  runbook: string;
  /** The sources whose verdicts point at it: the probe's exact one, Prometheus's, or both. */
  seenIn: string[];
}

/** A verdict and what the page calls its source. */
interface VerdictSource {
  source: string;
  verdict: Verdict | null;
}

/** The runbook's known root causes (§4) that the verdicts' hints point at, each once, in runbook order. */
export function matchingCauses(sources: readonly VerdictSource[]): MatchedCause[] {
  const seenIn = new Map<CauseKey, string[]>();
  for (const { source, verdict } of sources) {
    for (const h of verdict?.hints ?? []) {
      const key = CAUSE_OF_HINT[h.kind];
      if (key && !seenIn.get(key)?.includes(source)) {
        seenIn.set(key, [...(seenIn.get(key) ?? []), source]);
      }
    }
  }
  return (Object.keys(KNOWN_CAUSES) as CauseKey[])
    .filter((k) => seenIn.has(k))
    .map((key) => ({ key, ...KNOWN_CAUSES[key], seenIn: seenIn.get(key) ?? [] }));
}

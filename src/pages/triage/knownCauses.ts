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
  /** The engine's sentence saying why it matches this window. */
  why: string[];
}

/** The runbook's known root causes (§4) that the verdicts' hints point at, each once, in runbook order. */
export function matchingCauses(verdicts: ReadonlyArray<Verdict | null>): MatchedCause[] {
  const why = new Map<CauseKey, string[]>();
  for (const v of verdicts) {
    for (const h of v?.hints ?? []) {
      const key = CAUSE_OF_HINT[h.kind];
      if (key && !why.get(key)?.includes(h.text)) {
        why.set(key, [...(why.get(key) ?? []), h.text]);
      }
    }
  }
  return (Object.keys(KNOWN_CAUSES) as CauseKey[])
    .filter((k) => why.has(k))
    .map((key) => ({ key, ...KNOWN_CAUSES[key], why: why.get(key) ?? [] }));
}

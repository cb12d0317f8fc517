import { verdictFromAggregates } from '../../attribution';
import type { Topology, Verdict } from '../../attribution/types';
import { readVerdict } from '../../datasource/probeAnswers';
import { probeGet, promFrames } from '../../lib/api';
import type { AppSettings } from '../../lib/appSettings';
import type { MissingItem } from '../../lib/missing';
import { evidenceFromFrames } from '../../panel/frames';
import { hasPressureData, type PressureSummary, summarizePressure } from './pressure';
import { panelRequests, pressureRequests } from './promQueries';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export interface PromVerdict {
  verdict: Verdict;
  missing: MissingItem[];
  warnings: string[];
}

export interface TriageData {
  probe: Outcome<Verdict>;
  prometheus: Outcome<PromVerdict>;
  pressure: Outcome<{ summary: PressureSummary; hasData: boolean }>;
}

async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Everything the triage page shows for a window, fetched in parallel; each source fails on its own so a
 * dead probe still leaves the Prometheus verdict (and the other way round).
 */
export async function loadTriage(
  window: { from: number; to: number },
  settings: AppSettings,
  topology: Topology
): Promise<TriageData> {
  const [probe, prometheus, pressure] = await Promise.all([
    outcome(async () =>
      readVerdict(await probeGet(settings.probeUid, '/api/v1/attribution', { from: window.from, to: window.to }))
    ),
    outcome(async () => {
      const { frames, errors } = await promFrames(
        settings.prometheusUid,
        panelRequests(window, settings.devvmInstance)
      );
      if (frames.length === 0 && errors.length > 0) {
        throw new Error(errors.join('; '));
      }
      const mapped = evidenceFromFrames(frames, topology, window);
      return {
        verdict: verdictFromAggregates(topology, mapped.evidence),
        missing: mapped.missing,
        warnings: [...errors, ...mapped.warnings],
      };
    }),
    outcome(async () => {
      const { frames, errors } = await promFrames(
        settings.prometheusUid,
        pressureRequests(window, settings.devvmInstance)
      );
      if (frames.length === 0 && errors.length > 0) {
        throw new Error(errors.join('; '));
      }
      return { summary: summarizePressure(frames), hasData: hasPressureData(frames) };
    }),
  ]);
  return { probe, prometheus, pressure };
}

import { verdictFromAggregates } from '../../attribution';
import type { Topology, Verdict } from '../../attribution/types';
import { readVerdict } from '../../shared/probe-api';
import { probeGet, promFrames } from '../../lib/api';
import type { AppSettings } from '../../lib/appSettings';
import type { MissingItem } from '../../shared/missing';
import { evidenceFromFrames } from '../../shared/frames';
import { hasPressureData, type PressureSummary, summarizePressure } from './pressure';
import { panelRequests, pressureRequests } from './promQueries';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

interface PromVerdict {
  verdict: Verdict;
  missing: MissingItem[];
  warnings: string[];
}

interface PressureData {
  summary: PressureSummary;
  hasData: boolean;
}

async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

type Window = { from: number; to: number };

/*
 * What the triage page shows for a window comes from three sources, each loaded on its own: one that
 * fails or hangs leaves the others (a dead probe still leaves the Prometheus verdict, and the reverse).
 */

/** The probe's exact verdict for the window. */
export function loadProbeVerdict(window: Window, settings: AppSettings): Promise<Outcome<Verdict>> {
  return outcome(async () =>
    readVerdict(await probeGet(settings.probeUid, '/api/v1/attribution', { from: window.from, to: window.to }))
  );
}

/** The dashboard's queries over the window, through the same mapping and engine as the panel. */
export function loadPromVerdict(
  window: Window,
  settings: AppSettings,
  topology: Topology
): Promise<Outcome<PromVerdict>> {
  return outcome(async () => {
    const { frames, errors } = await promFrames(settings.prometheusUid, panelRequests(window, settings.devvmInstance));
    if (frames.length === 0 && errors.length > 0) {
      throw new Error(errors.join('; '));
    }
    const mapped = evidenceFromFrames(frames, topology, window);
    return {
      verdict: verdictFromAggregates(topology, mapped.evidence),
      missing: mapped.missing,
      warnings: [...errors, ...mapped.warnings],
    };
  });
}

/** devvm pressure around the window. */
export function loadPressure(window: Window, settings: AppSettings): Promise<Outcome<PressureData>> {
  return outcome(async () => {
    const { frames, errors } = await promFrames(
      settings.prometheusUid,
      pressureRequests(window, settings.devvmInstance)
    );
    if (frames.length === 0 && errors.length > 0) {
      throw new Error(errors.join('; '));
    }
    return { summary: summarizePressure(frames), hasData: hasPressureData(frames) };
  });
}

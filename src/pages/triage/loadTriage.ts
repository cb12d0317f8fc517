import { usersOf, verdictFromAggregates } from '../../attribution';
import type { Topology, Verdict } from '../../attribution/types';
import { readTopology, readVerdict, type ProbeReads } from '../../shared/probe-api';
import { USER_WORDS } from '../../shared/user';
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

/** A window, and whose report it is (null: every user's). */
type Window = { from: number; to: number; user: string | null };

/*
 * What the triage page shows for a window comes from three sources, each loaded on its own: one that
 * fails or hangs leaves the others (a dead probe still leaves the Prometheus verdict, and the reverse).
 */

/** The probe's exact verdict for the window (for the window's user; the probe's 400 for one it does not know). */
export function loadProbeVerdict(window: Window, settings: AppSettings): Promise<Outcome<Verdict>> {
  return outcome(async () =>
    readVerdict(
      await probeGet(settings.probeUid, '/api/v1/attribution', {
        from: window.from,
        to: window.to,
        ...(window.user === null ? {} : { user: window.user }),
      })
    )
  );
}

/** The probe's topology: its users (for the User field) and every leg, users' legs included. */
export async function loadProbeTopology(settings: AppSettings): Promise<ProbeReads['/api/v1/topology']> {
  return readTopology(await probeGet(settings.probeUid, '/api/v1/topology'));
}

/**
 * The dashboard's queries over the window, through the same mapping and engine as the panel; for the
 * window's user when the app's topology knows them (their legs' series), else every user's, said so.
 */
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
    const known = window.user !== null && usersOf(topology).includes(window.user);
    const notPerUser = window.user !== null && !known ? [USER_WORDS.promNotPerUser(window.user)] : [];
    return {
      verdict: verdictFromAggregates(
        topology,
        mapped.evidence,
        undefined,
        known ? (window.user ?? undefined) : undefined
      ),
      missing: mapped.missing,
      warnings: [...notPerUser, ...errors, ...mapped.warnings],
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

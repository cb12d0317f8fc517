import type { DataFrame } from '@grafana/data';
import { seriesFor } from '../../shared/series';

interface Peak {
  value: number;
  at: number;
}

export interface PressureSummary {
  io: Peak | null;
  memory: Peak | null;
  /** Lowest free swap in the span (bytes). */
  swapFreeMin: Peak | null;
}

function extreme(frames: readonly DataFrame[], refId: string, pick: 'max' | 'min'): Peak | null {
  let best: Peak | null = null;
  for (const frame of frames) {
    if (frame.refId !== refId) {
      continue;
    }
    const times = frame.fields.find((f) => f.name === 'Time')?.values ?? [];
    const values = frame.fields.find((f) => f.name === 'Value')?.values ?? [];
    values.forEach((v: unknown, i: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        return;
      }
      if (best === null || (pick === 'max' ? v > best.value : v < best.value)) {
        best = { value: v, at: times[i] as number };
      }
    });
  }
  return best;
}

/** Worst devvm PSI (full) rates and lowest free swap in the frames of `pressureRequests`. */
export function summarizePressure(frames: readonly DataFrame[]): PressureSummary {
  return {
    io: extreme(frames, 'io', 'max'),
    memory: extreme(frames, 'memory', 'max'),
    swapFreeMin: extreme(frames, 'swap_free', 'min'),
  };
}

/** Whether the answers had any series at all (no node_exporter scrape → say so, not "calm"). */
export function hasPressureData(frames: readonly DataFrame[]): boolean {
  return ['io', 'memory', 'swap_free'].some((id) => seriesFor(frames, id).length > 0);
}

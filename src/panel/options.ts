import { DEFAULT_THRESHOLDS } from '../attribution';
import { DEFAULT_PROBE_UID } from '../constants';
import type { Thresholds } from '../attribution/types';
import { DEFAULT_TOPOLOGY_TEXT } from '../shared/topologyText';

export interface PanelOptions {
  /** The topology as JSON text (the options editor is a code box); empty means the runbook's default. */
  topology: string;
  rttStallMs: number;
  psiFull: number;
  showDiagram: boolean;
  showRunbookTable: boolean;
  showLegs: boolean;
  showHints: boolean;
  /** Extra data links, one `segment=url` per line; Grafana variables such as ${__from} work in the url. */
  segmentLinks: string;
  /**
   * The uid of the attribution datasource (the probe): with the dashboard's `user` variable set, the panel
   * asks it for that user's verdict.
   */
  probeDatasource: string;
}

export const DEFAULT_OPTIONS: PanelOptions = {
  topology: DEFAULT_TOPOLOGY_TEXT,
  rttStallMs: DEFAULT_THRESHOLDS.rttStallMs,
  psiFull: DEFAULT_THRESHOLDS.psiFull,
  showDiagram: true,
  showRunbookTable: true,
  showLegs: true,
  showHints: true,
  segmentLinks: '',
  probeDatasource: DEFAULT_PROBE_UID,
};

/** Thresholds from the options; a value that is not a positive number falls back to the default, named. */
export function thresholdsFromOptions(options: Pick<PanelOptions, 'rttStallMs' | 'psiFull'>): {
  thresholds: Partial<Thresholds>;
  problems: string[];
} {
  const problems: string[] = [];
  const thresholds: Partial<Thresholds> = {};
  if (typeof options.rttStallMs === 'number' && Number.isFinite(options.rttStallMs) && options.rttStallMs > 0) {
    thresholds.rttStallMs = options.rttStallMs;
  } else {
    problems.push(
      `RTT stall threshold ${String(options.rttStallMs)} is not a positive number of milliseconds; using ${DEFAULT_THRESHOLDS.rttStallMs}`
    );
  }
  if (
    typeof options.psiFull === 'number' &&
    Number.isFinite(options.psiFull) &&
    options.psiFull > 0 &&
    options.psiFull <= 1
  ) {
    thresholds.psiFull = options.psiFull;
  } else {
    problems.push(
      `PSI threshold ${String(options.psiFull)} is not a stall rate between 0 and 1; using ${DEFAULT_THRESHOLDS.psiFull}`
    );
  }
  return { thresholds, problems };
}

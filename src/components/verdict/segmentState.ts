import { type GrafanaTheme2 } from '@grafana/data';
import type { SegmentState, VerdictKind } from '../../attribution/types';

/** Words next to the colour, so the diagram reads without colour vision and in any theme. */
export const STATE_LABEL: Record<SegmentState, string> = {
  suspect: 'suspect',
  clear: 'clear',
  unknown: 'no data',
  unmonitored: 'not monitored',
};

export function stateColor(theme: GrafanaTheme2, state: SegmentState): string {
  switch (state) {
    case 'suspect':
      return theme.colors.error.main;
    case 'clear':
      return theme.colors.success.main;
    case 'unknown':
      return theme.colors.warning.main;
    case 'unmonitored':
      return theme.colors.text.disabled;
  }
}

export const VERDICT_LABEL: Record<VerdictKind, string> = {
  incident: 'Infrastructure fault',
  exonerated: 'Infrastructure clean',
  unknown: 'Not enough data',
};

export function verdictBadgeColor(kind: VerdictKind): 'red' | 'green' | 'orange' {
  return kind === 'incident' ? 'red' : kind === 'exonerated' ? 'green' : 'orange';
}

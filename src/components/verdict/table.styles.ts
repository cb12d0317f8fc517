import type { GrafanaTheme2 } from '@grafana/data';

/** The compact, full-width table the verdict's evidence and runbook table share (pass to emotion's `css`). */
export function compactTable(theme: GrafanaTheme2) {
  return {
    width: '100%',
    borderCollapse: 'collapse' as const,
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      textAlign: 'left' as const,
      padding: theme.spacing(0.25, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    'thead th': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  };
}

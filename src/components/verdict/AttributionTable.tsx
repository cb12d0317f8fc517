import { css, cx } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { ATTRIBUTION_TABLE } from '../../attribution';
import { RunbookText } from './RunbookText';
import { compactTable } from './table.styles';
import { TEST_IDS } from '../../shared/testIds';

/**
 * The runbook's attribution table (§1) with the row the verdict matches highlighted, and under it what the
 * legs narrowed that row to (`narrowed`, see narrowing.ts), if anything.
 */
export function AttributionTable({ matchingRow, narrowed }: { matchingRow: number | null; narrowed: string | null }) {
  const styles = useStyles2(getStyles);
  return (
    <table className={styles.table} data-testid={TEST_IDS.runbookTable}>
      <caption className={styles.caption}>Runbook attribution table (§1)</caption>
      <thead>
        <tr>
          <th scope="col">probe legs</th>
          <th scope="col">means</th>
        </tr>
      </thead>
      <tbody>
        {ATTRIBUTION_TABLE.map((row, i) => (
          <tr
            key={i}
            data-testid={TEST_IDS.runbookRow(i)}
            data-match={i === matchingRow ? 'true' : 'false'}
            className={cx(i === matchingRow && styles.match)}
          >
            <td>
              <RunbookText text={row.pattern} />
            </td>
            <td>
              {i === matchingRow && <span className={styles.marker}>▶ matches: </span>}
              <RunbookText text={row.meaning} />
              {i === matchingRow && narrowed && (
                <div className={styles.narrowed} data-testid={TEST_IDS.runbookNarrowed}>
                  {narrowed}
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    table: css(compactTable(theme)),
    caption: css({ textAlign: 'left', color: theme.colors.text.secondary, paddingBottom: theme.spacing(0.5) }),
    match: css({
      background: theme.colors.warning.transparent,
      fontWeight: theme.typography.fontWeightBold,
      outline: `1px solid ${theme.colors.warning.border}`,
    }),
    marker: css({ color: theme.colors.warning.text }),
    narrowed: css({ color: theme.colors.error.text }),
  };
}

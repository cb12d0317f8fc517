import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import type { WindowLegSummary } from '../../attribution/types';
import { legRowSummary } from './legEvidence.utils';
import { compactTable } from './table.styles';
import { TEST_IDS } from '../../shared/testIds';

/**
 * Per-leg evidence for the window: drops by reason, connected now, RTT p99, the engine's note. The RTT
 * column shows only when some leg has one: the probe's exact verdicts carry none, and a whole column of
 * "no data" would read as missing data.
 */
export function LegEvidence({ legs }: { legs: readonly WindowLegSummary[] }) {
  const styles = useStyles2(getStyles);
  const showRtt = legs.some((leg) => leg.rttP99Ms !== null);
  return (
    <table className={styles.table} data-testid={TEST_IDS.legEvidence}>
      <thead>
        <tr>
          <th scope="col">leg</th>
          <th scope="col">drops</th>
          <th scope="col">now</th>
          {showRtt && <th scope="col">RTT p99</th>}
          <th scope="col">note</th>
        </tr>
      </thead>
      <tbody>
        {legs.map((leg) => {
          const row = legRowSummary(leg);
          return (
            <tr key={leg.leg} data-testid={TEST_IDS.legRow(leg.leg)}>
              <th scope="row">{leg.leg}</th>
              <td>{row.drops}</td>
              <td className={leg.connected === false ? styles.down : undefined}>{row.connected}</td>
              {showRtt && <td>{row.rtt}</td>}
              <td className={styles.note}>{leg.note}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    table: css(compactTable(theme), { 'th, td': { verticalAlign: 'top' } }),
    down: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightBold }),
    note: css({ color: theme.colors.text.secondary }),
  };
}

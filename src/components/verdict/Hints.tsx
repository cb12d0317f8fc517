import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';
import React from 'react';
import type { Hint } from '../../attribution/types';
import { RunbookText } from './RunbookText';
import { TEST_IDS } from '../../shared/testIds';

/** What the legs cannot see: devvm pressure, RTT spikes, known root causes, missing data. */
export function Hints({ hints }: { hints: readonly Hint[] }) {
  const styles = useStyles2(getStyles);
  if (hints.length === 0) {
    return null;
  }
  return (
    <ul className={styles.list} data-testid={TEST_IDS.hints}>
      {hints.map((h, i) => (
        <li key={i} data-hint={h.kind} className={styles.item}>
          <Icon name={h.kind === 'missing_data' ? 'question-circle' : 'info-circle'} className={styles.icon} />
          <span>
            <RunbookText text={h.text} />
            {h.runbook && <span className={styles.ref}> (runbook {h.runbook})</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    list: css({ listStyle: 'none', margin: 0, padding: 0, fontSize: theme.typography.bodySmall.fontSize }),
    item: css({ display: 'flex', gap: theme.spacing(0.5), alignItems: 'baseline', padding: theme.spacing(0.25, 0) }),
    icon: css({ color: theme.colors.info.text, flexShrink: 0 }),
    ref: css({ color: theme.colors.text.secondary }),
  };
}

import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import React from 'react';
import type { Verdict } from '../../attribution/types';
import { VERDICT_LABEL, verdictBadgeColor } from './segmentState';
import { RunbookText } from './RunbookText';
import { TEST_IDS } from '../../shared/testIds';

export function VerdictHeadline({ verdict, source }: { verdict: Verdict; source?: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.row}>
      <Badge
        text={VERDICT_LABEL[verdict.verdict]}
        color={verdictBadgeColor(verdict.verdict)}
        data-verdict={verdict.verdict}
      />
      <span data-testid={TEST_IDS.verdict} data-verdict={verdict.verdict} className={styles.headline}>
        <RunbookText text={verdict.headline} />
      </span>
      {source && <span className={styles.source}>{source}</span>}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    row: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
    headline: css({
      fontSize: theme.typography.h5.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
      color: theme.colors.text.primary,
    }),
    source: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  };
}

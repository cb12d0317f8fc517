import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, useStyles2 } from '@grafana/ui';
import React from 'react';
import { buildLogRecipe } from './logRecipeSteps';
import { TEST_IDS } from '../../shared/testIds';

/** The runbook §2 commands for the window, each with a copy button. */
export function LogRecipe({ from, to }: { from: number; to: number }) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={TEST_IDS.logRecipe} className={styles.list}>
      {buildLogRecipe({ from, to }).map((step) => (
        <div key={step.id} className={styles.step} data-step={step.id}>
          <div className={styles.head}>
            <strong>{step.title}</strong>
            <ClipboardButton size="sm" variant="secondary" icon="copy" getText={() => step.command} fill="text">
              Copy
            </ClipboardButton>
          </div>
          <pre className={styles.code}>{step.command}</pre>
          <div className={styles.explains}>{step.explains}</div>
        </div>
      ))}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    list: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
    step: css({}),
    head: css({ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: theme.spacing(1) }),
    code: css({
      margin: theme.spacing(0.5, 0),
      whiteSpace: 'pre-wrap',
      wordBreak: 'break-all',
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    explains: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  };
}

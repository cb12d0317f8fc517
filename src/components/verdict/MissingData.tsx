import { Alert } from '@grafana/ui';
import React from 'react';
import type { MissingItem } from '../../shared/missing';
import { TEST_IDS } from '../../shared/testIds';

/** Lists exactly what the verdict lacked, so "unknown" is never a mystery. */
export function MissingData({ missing, warnings }: { missing: readonly MissingItem[]; warnings: readonly string[] }) {
  if (missing.length === 0 && warnings.length === 0) {
    return null;
  }
  return (
    <div data-testid={TEST_IDS.missing}>
      {missing.length > 0 && (
        <Alert severity="warning" title={`Missing data (${missing.length}): segments these would clear stay "no data"`}>
          <ul>
            {missing.map((m, i) => (
              <li key={i} data-refid={m.refId} data-leg={m.leg ?? ''}>
                {m.text}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert severity="info" title="Data that could not be used">
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </Alert>
      )}
    </div>
  );
}

import { dateTimeFormat, type TimeZone } from '@grafana/data';
import React from 'react';
import type { Thresholds } from '../../attribution/types';
import type { PressureSummary } from './pressure';
import { TEST_IDS } from '../../shared/testIds';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

/** devvm PSI around the moment (runbook §3): the worst rates and when, against the threshold. */
export function DevvmPressure({
  summary,
  hasData,
  instance,
  thresholds,
  timeZone,
}: {
  summary: PressureSummary;
  hasData: boolean;
  instance: string;
  thresholds: Thresholds;
  timeZone: TimeZone;
}) {
  if (!hasData) {
    return (
      <p data-testid={TEST_IDS.pressure}>
        {`No pressure data for instance "${instance}": is devvm's node_exporter scraped (job devvm)?`}
      </p>
    );
  }
  const when = (at: number) => dateTimeFormat(at, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' });
  const row = (label: string, peak: PressureSummary['io']) =>
    peak ? (
      <li data-over={peak.value >= thresholds.psiFull ? 'true' : 'false'}>
        {label}: worst {pct(peak.value)} at {when(peak.at)}
        {peak.value >= thresholds.psiFull ? ` — above the ${pct(thresholds.psiFull)} pressure line` : ''}
      </li>
    ) : (
      <li>{label}: no data</li>
    );
  return (
    <ul data-testid={TEST_IDS.pressure}>
      {row('fully stalled on IO', summary.io)}
      {row('fully stalled on memory', summary.memory)}
      <li>
        free swap:{' '}
        {summary.swapFreeMin
          ? `lowest ${gib(summary.swapFreeMin.value)} at ${when(summary.swapFreeMin.at)}`
          : 'no data'}
      </li>
    </ul>
  );
}

/**
 * Frames shaped like Grafana's Prometheus datasource answers to the panel's queries (src/shared/promql.ts),
 * as plain DataFrameDTOs that cross into the page: one frame per series, a `Time` field and a `Value`
 * field carrying the series' labels, `refId` = the query's. Counters are pre-initialised at 0 for every
 * leg and reason, as the probe exports them.
 */
import type { DataFrameDTO, FieldType } from '@grafana/data';

import { FROM, TO } from '../../src/test/clock';

export { FROM, TO };
const LEGS = ['cloudflare', 'internal', 't3serve'] as const;

interface LegScenario {
  drops?: Record<string, number>;
  /** Connected (1/0) samples spread evenly over the range. */
  connected?: number[];
  rttSeconds?: number;
}

function series(
  refId: string,
  labels: Record<string, string>,
  values: number[],
  start: number,
  stepMs: number
): DataFrameDTO {
  return {
    refId,
    fields: [
      { name: 'Time', type: 'time' as FieldType, values: values.map((_, i) => start + i * stepMs) },
      { name: 'Value', type: 'number' as FieldType, values, labels },
    ],
  };
}

const instant = (refId: string, labels: Record<string, string>, value: number) => series(refId, labels, [value], TO, 0);

export function panelAnswers(
  legs: Partial<Record<(typeof LEGS)[number], LegScenario>> = {},
  psiIo = 0.01
): DataFrameDTO[] {
  const frames: DataFrameDTO[] = [];
  for (const leg of LEGS) {
    const scenario = legs[leg] ?? {};
    for (const [reason, n] of Object.entries({ heartbeat_timeout: 0, reset: 0, ...scenario.drops })) {
      frames.push(instant('drops', { leg, reason }, n));
    }
    const connected = scenario.connected ?? [1, 1, 1];
    frames.push(series('connected', { leg, job: 't3-probe' }, connected, FROM, (TO - FROM) / (connected.length - 1)));
    frames.push(instant('rtt', { leg }, scenario.rttSeconds ?? 0.05));
    frames.push(instant('slow', { leg }, 0));
    frames.push(instant('misconfigured', { leg }, 0));
  }
  frames.push(instant('incidents', { suspect: 'serve' }, 0));
  frames.push(instant('psi_io', { instance: 'devvm' }, psiIo));
  frames.push(instant('psi_memory', { instance: 'devvm' }, 0));
  frames.push(instant('probe_up', { job: 't3-probe', instance: 'probe:9464' }, 1));
  return frames;
}

/**
 * The benchmark's data: 30 days of the probe as the panel and the datasource receive it, with 1,000
 * incidents. One incident every ~43 minutes, rotating through the runbook's four shapes (Cloudflare leg
 * alone, both WebSocket legs, the serve leg alone, every leg), so every suspect and reason column is used.
 *
 * For the panel, which only sees Prometheus, "1,000 incidents" means what Prometheus holds after them:
 * `t3probe_incidents_total` increases per suspect summing to 1,000, disconnect increases per leg and
 * reason summing to every leg-drop, and the `connected` range series of each leg at 0 for the steps an
 * incident covers. For the datasource it means 1,000 Incident objects in one /api/v1/incidents answer.
 */
import type { DataFrameDTO, FieldType } from '@grafana/data';
import { buildIncidents, DEFAULT_TOPOLOGY } from '../../src/attribution';
import type { Incident, ProbeEvent, Reason } from '../../src/attribution/types';

const DAY_MS = 86_400_000;
export const MONTH_MS = 30 * DAY_MS;
export const INCIDENTS = 1_000;

/** An incident shape: the legs that drop, with which reason, for how long. */
const SHAPES: ReadonlyArray<{ legs: string[]; reason: Reason; ms: number; suspects: string[] }> = [
  { legs: ['cloudflare'], reason: 'reset', ms: 30_000, suspects: ['wan', 'cf-edge', 'tunnel'] },
  { legs: ['cloudflare', 'internal'], reason: 'heartbeat_timeout', ms: 40_000, suspects: ['traefik', 'dispatch'] },
  { legs: ['t3serve'], reason: 'refused', ms: 20_000, suspects: ['serve'] },
  { legs: ['cloudflare', 'internal', 't3serve'], reason: 'heartbeat_timeout', ms: 60_000, suspects: ['devvm-net'] },
];

const LEGS = ['cloudflare', 'internal', 't3serve'] as const;

function incidentStarts(from: number): number[] {
  return Array.from({ length: INCIDENTS }, (_, k) => from + Math.round(((k + 0.5) * MONTH_MS) / INCIDENTS));
}

/** The probe's event log for the month: runs throughout (alive every 5 min), one incident per slot. */
function monthEvents(from: number): ProbeEvent[] {
  const events: ProbeEvent[] = [{ type: 'probe_start', time: from - 60_000 }];
  for (let t = from; t <= from + MONTH_MS; t += 300_000) {
    events.push({ type: 'probe_alive', time: t });
  }
  incidentStarts(from).forEach((start, k) => {
    const shape = SHAPES[k % SHAPES.length]!;
    for (const leg of shape.legs) {
      events.push({ type: 'disconnect', leg, time: start, lastHeard: start - 500, reason: shape.reason });
      events.push({ type: 'reconnect', leg, time: start + shape.ms, lastFailure: start + shape.ms - 5_000 });
    }
    for (const leg of LEGS.filter((l) => !shape.legs.includes(l))) {
      events.push({ type: 'heartbeat', leg, time: start + 1_000, rttMs: 12 });
    }
  });
  return events.sort((a, b) => a.time - b.time);
}

/** The incidents the probe's engine builds from that month (what /api/v1/incidents would answer). */
export function monthIncidents(from: number): Incident[] {
  return buildIncidents(monthEvents(from), DEFAULT_TOPOLOGY, { now: from + MONTH_MS });
}

function frame(refId: string, labels: Record<string, string>, times: number[], values: number[]): DataFrameDTO {
  return {
    refId,
    fields: [
      { name: 'Time', type: 'time' as FieldType, values: times },
      { name: 'Value', type: 'number' as FieldType, values, labels },
    ],
  };
}

/**
 * The panel's frames for the month, as Grafana's Prometheus datasource returns them: `connected` as a
 * range series per leg at `stepMs` (what Grafana picks for the panel's width), the rest instant.
 */
export function monthPanelFrames(from: number, stepMs: number): DataFrameDTO[] {
  const to = from + MONTH_MS;
  const times: number[] = [];
  for (let t = from; t <= to; t += stepMs) {
    times.push(t);
  }
  const down: Record<string, Set<number>> = Object.fromEntries(LEGS.map((l) => [l, new Set<number>()]));
  const drops: Record<string, Partial<Record<Reason, number>>> = Object.fromEntries(LEGS.map((l) => [l, {}]));
  const bySuspect: Record<string, number> = {};
  incidentStarts(from).forEach((start, k) => {
    const shape = SHAPES[k % SHAPES.length]!;
    for (const leg of shape.legs) {
      // The sample at the step after the drop reads 0, as Prometheus's lookback would show a short outage.
      down[leg]!.add(Math.ceil((start - from) / stepMs));
      drops[leg]![shape.reason] = (drops[leg]![shape.reason] ?? 0) + 1;
    }
    const suspect = shape.suspects[0]!;
    bySuspect[suspect] = (bySuspect[suspect] ?? 0) + 1;
  });
  const frames: DataFrameDTO[] = [];
  for (const leg of LEGS) {
    for (const reason of ['heartbeat_timeout', 'reset', 'refused', 'handshake_timeout', 'error'] as const) {
      frames.push(frame('drops', { leg, reason }, [to], [drops[leg]![reason] ?? 0]));
    }
    frames.push(
      frame(
        'connected',
        { leg, job: 't3-probe', instance: 'probe:9464', __name__: 't3probe_connected' },
        times,
        times.map((_, i) => (down[leg]!.has(i) ? 0 : 1))
      )
    );
    frames.push(frame('rtt', { leg }, [to], [leg === 't3serve' ? 0.012 : 0.045]));
    frames.push(frame('slow', { leg }, [to], [3]));
  }
  for (const segment of DEFAULT_TOPOLOGY.segments) {
    frames.push(frame('incidents', { suspect: segment.id }, [to], [bySuspect[segment.id] ?? 0]));
  }
  frames.push(frame('psi_io', { instance: 'devvm' }, [to], [0.02]));
  frames.push(frame('psi_memory', { instance: 'devvm' }, [to], [0.01]));
  frames.push(frame('probe_up', { job: 't3-probe', instance: 'probe:9464' }, [to], [1]));
  return frames;
}

import { describe, expect, it } from 'vitest';
import { PANEL_QUERIES } from '../../shared/promql';
import { expandExpr, panelRequests, pressureRequests, rangeSeconds } from './promQueries';

const FROM = Date.UTC(2026, 5, 10, 13, 58, 0);
const TO = Date.UTC(2026, 5, 10, 14, 8, 0);

describe('panel queries for a triage window', () => {
  it('fills $__range with the window in seconds and $instance with the devvm label', () => {
    expect(rangeSeconds(FROM, TO)).toBe(600);
    expect(
      expandExpr('increase(x[$__range]) and y{instance="$instance"}', { from: FROM, to: TO, instance: 'devvm' })
    ).toBe('increase(x[600s]) and y{instance="devvm"}');
  });

  it('escapes a quote in the instance label so it cannot break out of the matcher', () => {
    expect(expandExpr('y{instance="$instance"}', { from: FROM, to: TO, instance: 'a"} or vector(1) #' })).toBe(
      'y{instance="a\\"} or vector(1) #"}'
    );
  });

  it('runs instant queries at the window end and range queries over the window, for every refId', () => {
    const reqs = panelRequests({ from: FROM, to: TO }, 'devvm');
    expect(reqs.map((r) => r.refId)).toEqual(PANEL_QUERIES.map((q) => q.refId));
    const drops = reqs.find((r) => r.refId === 'drops');
    expect(drops).toEqual({
      refId: 'drops',
      path: '/api/v1/query',
      params: {
        query: 'sum by (leg, reason) (increase(t3probe_disconnects_total[600s]))',
        time: String(TO / 1000) + '.000',
      },
    });
    const connected = reqs.find((r) => r.refId === 'connected');
    expect(connected).toEqual({
      refId: 'connected',
      path: '/api/v1/query_range',
      params: { query: 't3probe_connected', start: `${FROM / 1000}.000`, end: `${TO / 1000}.000`, step: '15s' },
    });
    expect(reqs.every((r) => !r.params.query?.includes('$'))).toBe(true);
  });

  it('aligns the range query so its last point is the window end, even for windows shorter than a step', () => {
    const odd = panelRequests({ from: FROM, to: FROM + 40_000 }, 'devvm').find((r) => r.refId === 'connected');
    expect(odd?.params).toMatchObject({
      start: `${(FROM + 10_000) / 1000}.000`,
      end: `${(FROM + 40_000) / 1000}.000`,
      step: '15s',
    });
    const tiny = panelRequests({ from: FROM, to: FROM + 3_000 }, 'devvm').find((r) => r.refId === 'connected');
    expect(tiny?.params).toMatchObject({
      start: `${FROM / 1000}.000`,
      end: `${(FROM + 3_000) / 1000}.000`,
      step: '3s',
    });
  });

  it('asks for devvm pressure over the window with ten minutes either side', () => {
    const [io, memory, swap] = pressureRequests({ from: FROM, to: TO }, 'devvm');
    expect(io?.params.query).toBe('rate(node_pressure_io_stalled_seconds_total{instance="devvm"}[1m])');
    expect(memory?.params.query).toBe('rate(node_pressure_memory_stalled_seconds_total{instance="devvm"}[1m])');
    expect(swap?.params.query).toBe('node_memory_SwapFree_bytes{instance="devvm"}');
    expect(io?.params.start).toBe(`${(FROM - 600_000) / 1000}.000`);
    expect(io?.params.end).toBe(`${(TO + 600_000) / 1000}.000`);
  });
});

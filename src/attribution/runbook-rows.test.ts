/** The runbook's table and known causes as data: rows by id, matched most specific first, hints by role. */
import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_TABLE, matchRunbookRow, runbookRow } from './runbook';
import { cut, play } from './testing/scenario';
import { serveSegment } from './topology';
import type { Topology } from './types';

describe('runbook rows', () => {
  it('have ids, in the runbook order the wire index refers to', () => {
    expect(ATTRIBUTION_TABLE.map((r) => r.id)).toEqual(['cloudflare', 'shared', 'serve', 'client']);
    expect(ATTRIBUTION_TABLE.filter((r) => r.exonerates).map((r) => r.id)).toEqual(['client']);
  });

  it('match most specific first: the row with fewest segments that holds every suspect', () => {
    expect(matchRunbookRow(['serve'])).toBe(ATTRIBUTION_TABLE.indexOf(runbookRow('serve')));
    expect(matchRunbookRow(['traefik', 'serve'])).toBe(ATTRIBUTION_TABLE.indexOf(runbookRow('shared')));
    expect(matchRunbookRow(['tunnel'])).toBe(ATTRIBUTION_TABLE.indexOf(runbookRow('cloudflare')));
    expect(matchRunbookRow(['client'])).toBe(ATTRIBUTION_TABLE.indexOf(runbookRow('client')));
    expect(matchRunbookRow(['tunnel', 'serve'])).toBeNull();
    expect(matchRunbookRow([])).toBeNull();
  });

  it("match a user's own instance as the runbook's serve, with the serve row's per-user meaning", () => {
    const isUser = (id: string): boolean => id === 'serve.alice';
    expect(matchRunbookRow(['serve.alice'], isUser)).toBe(ATTRIBUTION_TABLE.indexOf(runbookRow('serve')));
    expect(matchRunbookRow(['devvm-net', 'serve', 'serve.alice'], isUser)).toBe(
      ATTRIBUTION_TABLE.indexOf(runbookRow('serve'))
    );
    expect(matchRunbookRow(['traefik', 'serve.alice'], isUser)).toBe(ATTRIBUTION_TABLE.indexOf(runbookRow('shared')));
    expect(matchRunbookRow(['client', 'serve.alice'], isUser)).toBeNull();
    expect(matchRunbookRow(['serve.alice'])).toBeNull();
    expect(runbookRow('serve').meaning).toBe("the user's `t3 serve` stalled (see §3)");
    expect(runbookRow('serve').userMeaning).toBe("that user's `t3 serve` stalled (their cgroup)");
  });
});

describe('known causes on a custom topology', () => {
  const topology: Topology = {
    segments: [
      { id: 'edge', name: 'Edge' },
      { id: 'app', name: 'App host' },
    ],
    legs: [
      { name: 'outer', type: 'websocket', segments: ['edge', 'app'], intervalMs: 10_000, timeoutMs: 20_000 },
      { name: 'inner', type: 'websocket', segments: ['app'], intervalMs: 10_000, timeoutMs: 20_000 },
      { name: 'check', type: 'http', segments: ['app'], intervalMs: 10_000, timeoutMs: 5_000 },
    ],
  };

  it('the last path segment before the probe plays serve’s role', () => {
    expect(serveSegment(topology)).toBe('app');
  });

  it('connections refused at that segment match "t3 serve down"; devvm pressure matches the storm', () => {
    // The http leg's requests are refused while the app host is down; the websocket legs are reset.
    const { verdict } = play([cut('app', 60, 90)], { topology, pressure: { ioFull: 0.5 } });
    expect(verdict.suspects).toEqual(['app']);
    expect(verdict.hints.map((h) => h.kind)).toEqual(
      expect.arrayContaining(['devvm_pressure', 'known_devvm_storm', 'known_serve_down'])
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseTriageParams } from './triageUrl';

const NOW = Date.UTC(2026, 5, 10, 15, 0, 0);
const T = Date.UTC(2026, 5, 10, 14, 3, 0);

describe('parseTriageParams', () => {
  it('takes from/to in Unix milliseconds', () => {
    const r = parseTriageParams(`from=${T}&to=${T + 60_000}`, NOW);
    expect(r).toEqual({
      ok: true,
      window: { from: T, to: T + 60_000, leg: null, user: null, source: 'range', time: null },
    });
  });

  it('takes from/to in RFC 3339 with offsets', () => {
    const r = parseTriageParams('from=2026-06-10T16:03:00%2B02:00&to=2026-06-10T14:04:00Z', NOW);
    expect(r.ok && r.window.from).toBe(T);
    expect(r.ok && r.window.to).toBe(T + 60_000);
  });

  it('centres a 10-minute window on time', () => {
    const r = parseTriageParams(`time=${T}&leg=t3serve`, NOW);
    expect(r).toEqual({
      ok: true,
      window: { from: T - 300_000, to: T + 300_000, leg: 't3serve', user: null, source: 'time', time: T },
    });
  });

  it('defaults to the last hour when no time is given (alert links carry only the leg)', () => {
    const r = parseTriageParams('leg=cloudflare', NOW);
    expect(r).toEqual({
      ok: true,
      window: { from: NOW - 3_600_000, to: NOW, leg: 'cloudflare', user: null, source: 'default', time: null },
    });
  });

  it('names every bad parameter', () => {
    const r = parseTriageParams('from=yesterday&to=1700000000', NOW);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      '"from" is not a time: "yesterday" (use Unix milliseconds or an RFC 3339 time such as 2026-06-10T14:03:00Z)',
      '"to" = 1700000000 looks like Unix seconds: use Unix milliseconds or an RFC 3339 time such as 2026-06-10T14:03:00Z',
    ]);
  });

  it('rejects half a range, a reversed range and time together with a range', () => {
    expect(parseTriageParams(`from=${T}`, NOW)).toEqual({
      ok: false,
      errors: ['"to" is missing: give both "from" and "to", or "time"'],
    });
    const reversed = parseTriageParams(`from=${T}&to=${T}`, NOW);
    expect(!reversed.ok && reversed.errors[0]).toMatch(/"from" must be before "to"/);
    const both = parseTriageParams(`from=${T}&to=${T + 1}&time=${T}`, NOW);
    expect(!both.ok && both.errors).toEqual(['give either "from" and "to", or "time", not both']);
  });

  it('rejects a leg the topology does not have, listing the legs', () => {
    const r = parseTriageParams(`time=${T}&leg=nope`, NOW, ['cloudflare', 'internal']);
    expect(!r.ok && r.errors).toEqual(['"leg" = "nope" is not a leg of the topology (legs: cloudflare, internal)']);
    const garbage = parseTriageParams(`time=${T}&leg=%3Cscript%3E`, NOW);
    expect(!garbage.ok && garbage.errors).toEqual(['"leg" is not a leg name: "<script>"']);
  });

  it("takes a user by name (the probe says whether it knows them); All or empty is every user's", () => {
    const r = parseTriageParams(`time=${T}&leg=serve-alice&user=alice`, NOW);
    expect(r.ok && [r.window.leg, r.window.user]).toEqual(['serve-alice', 'alice']);
    for (const all of ['user=', 'user=All', 'user=%24__all']) {
      const every = parseTriageParams(`time=${T}&${all}`, NOW);
      expect(every.ok && every.window.user).toBeNull();
    }
    const bad = parseTriageParams(`time=${T}&user=%3Cscript%3E`, NOW);
    expect(!bad.ok && bad.errors).toEqual(['"user" is not a user name: "<script>"']);
  });

  it('treats empty parameters as absent', () => {
    const r = parseTriageParams('from=&to=&time=&leg=', NOW);
    expect(r.ok && r.window.source).toBe('default');
  });
});

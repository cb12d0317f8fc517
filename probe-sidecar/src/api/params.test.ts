import { describe, expect, it } from 'vitest';
import { BadRequest, parseLimit, parseList, parseTime, parseUser, parseWindow } from './params.js';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const DAY = 86_400_000;
const q = (s: string) => new URLSearchParams(s);

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequest);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('parseTime', () => {
  it('takes Unix ms and RFC 3339 with Z or an offset', () => {
    expect(parseTime('1781092800000', 'from')).toBe(1781092800000);
    expect(parseTime('2026-06-10T12:00:00Z', 'from')).toBe(NOW);
    expect(parseTime('2026-06-10T14:00:00.000+02:00', 'from')).toBe(NOW);
  });
  it.each(['now-1h', '2026-06-10', '12:00', '1e12', '-5', '2026-06-10T12:00:00', ''])(
    'rejects %j naming the parameter',
    (v) => {
      expect(badRequest(() => parseTime(v, 'to'))).toMatch(/^to: .* is not Unix milliseconds or an RFC 3339 time$/);
    }
  );
});

describe('parseWindow', () => {
  it('defaults to the last hour', () => {
    expect(parseWindow(q(''), NOW, 30 * DAY)).toEqual({ from: NOW - 3_600_000, to: NOW });
    expect(parseWindow(q('to=1000000000000'), NOW, 30 * DAY)).toEqual({
      from: 1_000_000_000_000 - 3_600_000,
      to: 1_000_000_000_000,
    });
  });
  it('rejects a reversed window', () => {
    expect(badRequest(() => parseWindow(q(`from=${NOW}&to=${NOW - 1}`), NOW, 30 * DAY))).toMatch(
      /^from: .* is after to/
    );
  });
  it('rejects a window longer than the retention', () => {
    expect(badRequest(() => parseWindow(q(`from=${NOW - 31 * DAY}&to=${NOW}`), NOW, 30 * DAY))).toMatch(
      /^from: the window \(31d\) is longer than the retention \(30d\)/
    );
    expect(parseWindow(q(`from=${NOW - 30 * DAY}&to=${NOW}`), NOW, 30 * DAY).from).toBe(NOW - 30 * DAY);
  });
  it('names the malformed parameter', () => {
    expect(badRequest(() => parseWindow(q('from=yesterday'), NOW, DAY))).toMatch(/^from:/);
    expect(badRequest(() => parseWindow(q('to=soon'), NOW, DAY))).toMatch(/^to:/);
  });
});

describe('parseLimit', () => {
  it('defaults to 1000, allows up to 10000', () => {
    expect(parseLimit(q(''))).toBe(1000);
    expect(parseLimit(q('limit=10000'))).toBe(10_000);
    expect(parseLimit(q('limit=1'))).toBe(1);
  });
  it.each(['0', '10001', '-1', '2.5', 'lots', ''])('rejects limit=%s', (v) => {
    expect(badRequest(() => parseLimit(q(`limit=${v}`)))).toMatch(/^limit: /);
  });
});

describe('parseList', () => {
  it('splits and checks items', () => {
    expect(parseList(q('leg=a,b'), 'leg', ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(parseList(q(''), 'leg', ['a'])).toBeNull();
    expect(parseList(q('leg='), 'leg', ['a'])).toBeNull();
    expect(badRequest(() => parseList(q('leg=a,z'), 'leg', ['a']))).toMatch(/^leg: "z" is not one of a$/);
  });
});

describe('parseUser', () => {
  it('takes a known user; absent or empty is every user', () => {
    expect(parseUser(q('user=alice'), ['carol', 'alice'])).toBe('alice');
    expect(parseUser(q(''), ['alice'])).toBeNull();
    expect(parseUser(q('user='), ['alice'])).toBeNull();
  });

  it('an unknown user names the parameter and the known users (at most 20 of them)', () => {
    expect(badRequest(() => parseUser(q('user=dave'), ['carol', 'alice']))).toBe(
      'user: "dave" is not a user the probe knows (known: carol, alice)'
    );
    expect(badRequest(() => parseUser(q('user=dave'), []))).toBe(
      `user: "dave" is not a user the probe knows (the probe's config lists no users)`
    );
    const many = Array.from({ length: 25 }, (_, i) => `u${i}`);
    expect(badRequest(() => parseUser(q('user=Alice'), many))).toMatch(/known: u0, .*, u19, … \(25 in all\)\)$/);
  });
});

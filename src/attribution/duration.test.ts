import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it('parses the config forms', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2s')).toBe(2_000);
    expect(parseDuration('1m')).toBe(60_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('30d')).toBe(2_592_000_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration(' 10s ')).toBe(10_000);
  });

  it('rejects anything else, quoting it', () => {
    for (const bad of ['', '10', '2x', 's', '-1s', '1 s', 'ten seconds', '1e3s']) {
      expect(() => parseDuration(bad)).toThrow(`${JSON.stringify(bad)} is not a duration`);
    }
    expect(() => parseDuration(5 as unknown as string)).toThrow('5 is not a duration');
    expect(() => parseDuration('99999999999999999999d')).toThrow('too large');
  });

  it('formats for people', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(6_200)).toBe('6.2s');
    expect(formatDuration(20_000)).toBe('20s');
    expect(formatDuration(125_000)).toBe('2m 5s');
    expect(formatDuration(3 * 3_600_000 + 10 * 60_000)).toBe('3h 10m');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2d 4h');
    expect(formatDuration(Number.NaN)).toBe('unknown');
  });
});

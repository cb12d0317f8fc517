import { describe, expect, it } from 'vitest';
import { clip, quoteClipped } from './clip';
import { promValue } from './promValue';

describe('promValue', () => {
  it('reads numbers, numeric strings and the special values Prometheus spells out', () => {
    expect(['1.5', 2, '+Inf', 'Inf', '-Inf', '-3e2'].map(promValue)).toEqual([
      1.5,
      2,
      Infinity,
      Infinity,
      -Infinity,
      -300,
    ]);
    expect(promValue('NaN')).toBeNaN();
  });

  it('gives null for what is not a value: a gap, never 0', () => {
    expect(['', '  ', 'abc', null, undefined, {}, true].map(promValue)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('clip', () => {
  it('keeps a short text and cuts a long one, saying how long it was', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('abc… (4 characters)');
    expect(quoteClipped('abc', 3)).toBe('"abc"');
    expect(quoteClipped('abcd', 3)).toBe('"abc"… (4 characters)');
  });
});

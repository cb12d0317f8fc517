import { describe, expect, it } from 'vitest';
import { bearerMatches } from './auth.js';

describe('bearerMatches', () => {
  it('accepts the exact token, case-insensitive scheme', () => {
    expect(bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('bearer s3cret', 's3cret')).toBe(true);
  });
  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Bearer s3cre',
    'Bearer s3cret2',
    'Basic s3cret',
    's3cret',
    'Bearer s3cret extra',
  ])('rejects %j', (h) => {
    expect(bearerMatches(h, 's3cret')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { PANEL_QUERIES } from '../promql';
import { DECODERS } from './table';

describe('decoder table', () => {
  it('has one decoder for each of the panel queries, in their order', () => {
    expect(Object.keys(DECODERS)).toEqual(PANEL_QUERIES.map((q) => q.refId));
  });
});

import { describe, expect, it } from 'vitest';
import { matrix, vector } from '../test/promAnswers';
import { promAnswerToFrames } from './promToFrames';

describe('promAnswerToFrames', () => {
  it('maps an instant vector to one frame per series with labels on the value field', () => {
    const frames = promAnswerToFrames(
      'drops',
      vector(1_700_000_000_000, [
        [{ leg: 'a', reason: 'reset' }, 2],
        [{ leg: 'b', reason: 'reset' }, 'NaN'],
      ]).body
    );
    expect(frames).toHaveLength(2);
    expect(frames[0]?.refId).toBe('drops');
    expect(frames[0]?.fields[0]?.values).toEqual([1_700_000_000_000]);
    expect(frames[0]?.fields[1]?.labels).toEqual({ leg: 'a', reason: 'reset' });
    expect(frames[0]?.fields[1]?.values).toEqual([2]);
    expect(frames[1]?.fields[1]?.values).toEqual([NaN]);
  });

  it('maps a matrix, reading +Inf and -Inf', () => {
    const [f] = promAnswerToFrames('rtt', matrix(1_000_000, 15_000, [[{ leg: 'a' }, ['1', '+Inf', '-Inf']]]).body);
    expect(f?.fields[0]?.values).toEqual([1_000_000, 1_015_000, 1_030_000]);
    expect(f?.fields[1]?.values).toEqual([1, Infinity, -Infinity]);
  });

  it('gives an empty frame with the refId when nothing matched', () => {
    const frames = promAnswerToFrames('slow', vector(0, []).body);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.refId).toBe('slow');
    expect(frames[0]?.fields).toEqual([]);
  });

  it("throws Prometheus's own error text, naming the query", () => {
    expect(() =>
      promAnswerToFrames('rtt', { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' })
    ).toThrow('Prometheus query "rtt" failed: bad_data: parse error at char 3');
    expect(() => promAnswerToFrames('rtt', '<html>')).toThrow(
      'Prometheus query "rtt" failed: not a Prometheus API answer'
    );
    expect(() =>
      promAnswerToFrames('rtt', { status: 'success', data: { resultType: 'string', result: [0, 'x'] } })
    ).toThrow('unexpected result type "string"');
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY, normalizeTopology } from '../../attribution';
import { narrowingText } from './narrowing';

const segments = normalizeTopology(DEFAULT_TOPOLOGY).segments.map((s) => ({ ...s, state: 'clear' as const }));
const of = (suspects: string[], runbookRow: number | null) => narrowingText({ suspects, runbookRow, segments });

describe('narrowingText', () => {
  it('names the suspects, by name and id, when they are fewer than the matching row’s segments', () => {
    expect(of(['dispatch'], 1)).toBe('The legs narrow it to t3-dispatch (dispatch).');
    expect(of(['wan', 'cf-edge'], 0)).toBe(
      "The legs narrow it to Site's internet uplink (wan) and Cloudflare edge (cf-edge)."
    );
  });

  it('says nothing for the whole row, no row, no suspect, or a suspect outside the row', () => {
    expect(of(['devvm-net', 'serve'], 2)).toBeNull();
    expect(of(['client'], 3)).toBeNull();
    expect(of(['tunnel', 'serve'], null)).toBeNull();
    expect(of([], 0)).toBeNull();
    // A user's own instance matches the serve row as serve does, but is not one of its segments.
    expect(of(['serve.alice'], 2)).toBeNull();
  });
});

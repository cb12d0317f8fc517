import { describe, expect, it } from 'vitest';
import { buildLogRecipe } from './logRecipeSteps';

// 2026-06-10 14:03:00.250 UTC → 14:13:59.100 UTC: fractional edges widen outwards to whole seconds.
const FROM = Date.UTC(2026, 5, 10, 14, 3, 0, 250);
const TO = Date.UTC(2026, 5, 10, 14, 13, 59, 100);

describe('buildLogRecipe', () => {
  const steps = buildLogRecipe({ from: FROM, to: TO });
  const byId = Object.fromEntries(steps.map((s) => [s.id, s.command]));

  it('fills the dispatch grep with the exact UTC window', () => {
    expect(byId.dispatch).toBe(
      'journalctl -u t3-dispatch --since "2026-06-10 14:03:00" --until "2026-06-10 14:14:00" | grep "proxy error"'
    );
  });

  it('fills the mass-cancel pipeline', () => {
    expect(byId.mass_cancel).toBe(
      'journalctl -u t3-dispatch --since "2026-06-10 14:03:00" --until "2026-06-10 14:14:00" \\\n' +
        "  | grep -oE '^.* [0-9:]+ http: proxy error: context canceled' \\\n" +
        "  | awk '{print $6}' | sort | uniq -c | awk '$1>=5'"
    );
  });

  it('fills the serve starvation grep', () => {
    expect(byId.serve_starvation).toBe(
      'journalctl -u t3-serve@ --since "2026-06-10 14:03:00" --until "2026-06-10 14:14:00" | grep "timed out"'
    );
  });

  it('gives kubectl an RFC 3339 --since-time and says where the window ends', () => {
    expect(byId.cloudflared_logs).toBe(
      'kubectl -n cloudflared logs --since-time=2026-06-10T14:03:00Z | grep -E "ERR|reconnect"'
    );
    expect(steps.find((s) => s.id === 'cloudflared_logs')?.explains).toContain('2026-06-10T14:14:00Z');
    expect(byId.cloudflared_pods).toBe('kubectl -n cloudflared get pods');
  });

  it('renders UTC whatever the process time zone (dates crossing midnight)', () => {
    const [first] = buildLogRecipe({ from: Date.UTC(2026, 11, 31, 23, 59, 59), to: Date.UTC(2027, 0, 1, 0, 0, 1) });
    expect(first?.command).toContain('--since "2026-12-31 23:59:59" --until "2027-01-01 00:00:01"');
  });

  it('rejects a reversed or non-finite window with a message naming it', () => {
    expect(() => buildLogRecipe({ from: TO, to: FROM })).toThrow(/not a valid range/);
    expect(() => buildLogRecipe({ from: NaN, to: TO })).toThrow(/from=NaN/);
  });
});

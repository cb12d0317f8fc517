/**
 * The runbook (§1 attribution table, §3 devvm pressure, §4 known root causes), one test per rule, stated
 * in the runbook's own words. Faults are put on segments of a modelled path; the engine sees only what
 * the probe's legs saw.
 */
import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_TABLE } from './runbook';
import { cut, play, stall, stateOf } from './testing/scenario';

describe('runbook §1 attribution table', () => {
  it('`cloudflare` drops, `internal` clean → Cloudflare edge / QUIC tunnel / WAN (tunnel cut)', () => {
    const { verdict } = play([cut('tunnel', 60, 75)]);
    expect(verdict.verdict).toBe('incident');
    expect(verdict.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    expect(verdict.runbookRow).toBe(0);
    expect(ATTRIBUTION_TABLE[0]?.meaning).toBe('Cloudflare edge / QUIC tunnel / WAN');
    expect(stateOf(verdict, 'traefik')).toBe('clear');
    expect(stateOf(verdict, 'tunnel')).toBe('suspect');
    expect(verdict.incidents).toHaveLength(1);
    expect(verdict.incidents[0]?.legs).toEqual(['cloudflare']);
  });

  it('`cloudflare` drops, `internal` clean → Cloudflare side, also when the tunnel goes silent (stall)', () => {
    const { verdict } = play([stall('cf-edge', 60, 100)]);
    expect(verdict.incidents.map((i) => i.legs)).toEqual([['cloudflare']]);
    expect(verdict.incidents[0]?.reasons).toEqual(['heartbeat_timeout']);
    expect(verdict.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    const internal = verdict.incidents[0]?.evidence.find((e) => e.leg === 'internal');
    expect(internal?.role).toBe('clear');
  });

  it('both WS legs drop together → Traefik, dispatch, or devvm reachability (dispatch frozen)', () => {
    const { verdict } = play([stall('dispatch', 60, 110)]);
    expect(verdict.incidents).toHaveLength(1);
    expect([...(verdict.incidents[0]?.legs ?? [])].sort()).toEqual(['cloudflare', 'internal']);
    expect(verdict.suspects).toEqual(['traefik', 'dispatch']);
    expect(verdict.runbookRow).toBe(1);
    // t3serve went straight to devvm and stayed up through a fault far longer than its watchdog.
    expect(stateOf(verdict, 'serve')).toBe('clear');
    expect(stateOf(verdict, 'devvm-net')).toBe('clear');
  });

  it('both WS legs drop together → Traefik side when Traefik is killed and restarts', () => {
    const { verdict } = play([cut('traefik', 60, 90)]);
    expect([...(verdict.incidents[0]?.legs ?? [])].sort()).toEqual(['cloudflare', 'internal']);
    expect(verdict.incidents[0]?.reasons).toEqual(['reset']);
    expect(verdict.suspects).toEqual(['traefik', 'dispatch']);
    expect(verdict.runbookRow).toBe(1);
  });

  it("`t3serve` timeouts → the user's `t3 serve` stalled: every leg drops, devvm-net and serve suspected", () => {
    const { verdict } = play([stall('serve', 60, 110)]);
    expect(verdict.incidents).toHaveLength(1);
    expect([...(verdict.incidents[0]?.legs ?? [])].sort()).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(verdict.suspects).toEqual(['devvm-net', 'serve']);
    expect(verdict.runbookRow).toBe(2);
    expect(stateOf(verdict, 'dispatch')).toBe('clear');
  });

  it('`t3serve` RTT spikes → serve stalled under the watchdog: an incident without any drop', () => {
    const { verdict, events } = play([stall('serve', 60.5, 64.5)]);
    expect(events.some((e) => e.type === 'disconnect')).toBe(false);
    expect(verdict.verdict).toBe('incident');
    expect(verdict.incidents[0]?.reasons).toEqual([]);
    expect(verdict.suspects).toEqual(['devvm-net', 'serve']);
    expect(verdict.hints.map((h) => h.kind)).toContain('rtt_spike');
    expect(verdict.runbookRow).toBe(2);
  });

  it('all legs clean while the user dropped → their last mile / device. Infra is exonerated, with data', () => {
    const { verdict } = play([], { window: [Date.UTC(2026, 5, 10, 12, 2), Date.UTC(2026, 5, 10, 12, 3)] });
    expect(verdict.verdict).toBe('exonerated');
    expect(verdict.suspects).toEqual(['client']);
    expect(stateOf(verdict, 'client')).toBe('unmonitored');
    expect(verdict.segments.filter((x) => x.id !== 'client').every((x) => x.state === 'clear')).toBe(true);
    expect(verdict.runbookRow).toBe(3);
    expect(verdict.headline).toMatch(/^Infra clean/);
  });

  it('a fault elsewhere in the day does not spoil the exoneration of a quiet window', () => {
    const { verdict } = play([cut('traefik', 20, 30)], {
      window: [Date.UTC(2026, 5, 10, 12, 3), Date.UTC(2026, 5, 10, 12, 4)],
    });
    expect(verdict.verdict).toBe('exonerated');
  });
});

describe('runbook §3 devvm pressure correlation', () => {
  it('serve suspected while devvm is fully stalled on IO → the pressure hint and the devvm storm cause', () => {
    const { verdict } = play([stall('serve', 60, 110)], { pressure: { ioFull: 0.42, memoryFull: 0.05 } });
    const kinds = verdict.hints.map((h) => h.kind);
    expect(kinds).toContain('devvm_pressure');
    expect(kinds).toContain('known_devvm_storm');
    expect(verdict.hints.find((h) => h.kind === 'devvm_pressure')?.text).toContain('42%');
  });

  it('a calm devvm gives no pressure hint, and pressure alone does not implicate serve in a Cloudflare fault', () => {
    const calm = play([stall('serve', 60, 110)], { pressure: { ioFull: 0.01, memoryFull: 0 } });
    expect(calm.verdict.hints.map((h) => h.kind)).not.toContain('devvm_pressure');
    const cf = play([cut('tunnel', 60, 75)], { pressure: { ioFull: 0.5 } });
    expect(cf.verdict.hints.map((h) => h.kind)).not.toContain('known_devvm_storm');
  });
});

describe('runbook §4 known root causes', () => {
  it('1. devvm memory/IO storms: all legs at once with PSI high', () => {
    const { verdict } = play([stall('serve', 60, 100)], { pressure: { memoryFull: 0.3 } });
    expect(verdict.hints.find((h) => h.kind === 'known_devvm_storm')?.runbook).toBe('§3, §4.1');
  });

  it('2. cloudflared restart: every tunnel connection cut at once, reconnects refused while it comes back', () => {
    const { verdict } = play([cut('tunnel', 60, 80)]);
    expect(verdict.hints.map((h) => h.kind)).toContain('known_cloudflared_restart');
    expect(verdict.hints.map((h) => h.kind)).not.toContain('known_quic_churn');
  });

  it('3. QUIC tunnel churn: a cloudflare-leg-only blip that recovers on the first retry', () => {
    const { verdict } = play([cut('tunnel', 60, 60.5)]);
    expect(verdict.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    expect(verdict.hints.map((h) => h.kind)).toContain('known_quic_churn');
  });

  it('4. serve down (nightly autoupdate restarts): t3serve refused', () => {
    const { verdict } = play([cut('serve', 60, 90)]);
    expect(verdict.suspects).toEqual(['devvm-net', 'serve']);
    expect(verdict.hints.map((h) => h.kind)).toContain('known_serve_down');
  });
});

import { describe, expect, it } from 'vitest';
import { reactMajorOf, sharedModules } from './harness/grafanaVersions';
import { satisfies } from './harness/versionRange';

const sharesJsx = (version: string) => sharedModules(version).includes('react/jsx-runtime');

describe('sharedModules: the platform notes, version by version', () => {
  it.each([
    ['12.0.9', false],
    ['12.0.10', true],
    ['12.1.6', false],
    ['12.1.7', true],
    ['12.2.4', false],
    ['12.2.5', true],
    ['12.3.0', true],
    ['11.6.10', false],
    ['11.6.11', true],
    ['13.0.0', true],
  ])('%s shares react/jsx-runtime: %s', (version, shares) => {
    expect(sharesJsx(version)).toBe(shares);
    expect(sharedModules(version).includes('react/jsx-dev-runtime')).toBe(shares);
  });

  it("every version shares Grafana's base list, react-router and react-router-dom included; @grafana/i18n never", () => {
    for (const version of ['12.0.0', '12.4.10', '13.2.3']) {
      expect(sharedModules(version)).toEqual(
        expect.arrayContaining(['react', '@grafana/ui/unstable', 'rxjs/operators', 'react-router', 'react-router-dom'])
      );
      expect(sharedModules(version)).not.toContain('@grafana/i18n');
    }
  });

  it('react-dom/client and react-dom/server only on the newest (13.2 on)', () => {
    expect(sharedModules('13.1.9')).not.toContain('react-dom/client');
    expect(sharedModules('13.2.0')).toEqual(expect.arrayContaining(['react-dom/client', 'react-dom/server']));
  });

  it('React 18 up to 13.1, 19 from 13.2', () => {
    expect([reactMajorOf('12.3.0'), reactMajorOf('13.1.4'), reactMajorOf('13.2.0')]).toEqual([18, 18, 19]);
  });
});

describe('satisfies: the range syntax Grafana plugin.json admits', () => {
  it('one comparator', () => {
    expect(satisfies('12.3.0', '>=12.3.0')).toBe(true);
    expect(satisfies('12.2.30', '>=12.3.0')).toBe(false);
    expect(satisfies('13.0.0', '>12.4')).toBe(true);
    expect(satisfies('12.4.1', '<12.4.1')).toBe(false);
    expect(satisfies('12.4.1', '12.4.1')).toBe(true);
  });

  it('two comparators, both holding', () => {
    expect(satisfies('12.5.0', '>=12.3.0 <13.0.0')).toBe(true);
    expect(satisfies('13.0.0', '>=12.3.0 <13.0.0')).toBe(false);
  });

  it('refuses what it does not understand instead of guessing', () => {
    expect(() => satisfies('12.3.0', '^12.3.0')).toThrow('not understood');
    expect(() => satisfies('12.3', '>=12.3.0')).toThrow('not a major.minor.patch version');
  });
});

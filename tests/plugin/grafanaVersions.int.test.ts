/**
 * The plugin loads on every Grafana its `grafanaDependency` admits, checked against what each version
 * shares (tests/browser/harness/grafanaVersions.ts, from the platform notes): no module.js imports a
 * name some admitted version lacks, and the range is where it is for that reason — `react/jsx-runtime`,
 * which the build leaves external (bundling it breaks React 19), is shared only from 12.3.0 (and a few
 * patch releases the schema's range syntax cannot list). Also: the modules use nothing of the real
 * react-router 6 that Grafana's `react-router` (react-router-dom-v5-compat) lacks.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMULATED_VERSIONS, GRAFANA_PACKAGE_OF, sharedModules } from '../browser/harness/grafanaVersions';
import { satisfies } from '../browser/harness/versionRange';
import { importedModules, unsharedImports } from './amd';
import { DIST, ensurePluginBuilt, ROOT } from './build';

const MODULES = ['module.js', 'panel/module.js', 'datasource/module.js'];
const PLUGIN_JSONS = ['plugin.json', 'src/panel/plugin.json', 'src/datasource/plugin.json'];

const range = (file: string) =>
  (JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as { dependencies: { grafanaDependency: string } })
    .dependencies.grafanaDependency;

/** Every 12.x and 13.x release number up to .4.30: more than exist, so none is missed. */
const VERSIONS = [12, 13].flatMap((major) =>
  [0, 1, 2, 3, 4].flatMap((minor) => Array.from({ length: 31 }, (_, patch) => `${major}.${minor}.${patch}`))
);

const code = new Map<string, string>();
beforeAll(() => {
  ensurePluginBuilt();
  for (const file of MODULES) {
    code.set(file, readFileSync(path.join(DIST, file), 'utf8'));
  }
});

describe('the declared Grafana range', () => {
  it('is one range, the same in the app and its nested plugins', () => {
    expect(new Set(PLUGIN_JSONS.map(range)).size).toBe(1);
  });

  it.each(EMULATED_VERSIONS.filter((v) => satisfies(v, range('plugin.json'))))(
    'admits %s, which shares every module each module.js imports',
    (version) => {
      for (const file of MODULES) {
        expect(unsharedImports(code.get(file)!, sharedModules(version)), `${file} on ${version}`).toEqual([]);
      }
    }
  );

  it('excludes every 12.x/13.x release that lacks a module some module.js imports', () => {
    const broken = VERSIONS.filter((version) =>
      MODULES.some((file) => unsharedImports(code.get(file)!, sharedModules(version)).length > 0)
    );
    // The reason is real: the build needs a module older 12.x releases do not share.
    expect(broken).toContain('12.2.4');
    expect(broken.filter((version) => satisfies(version, range('plugin.json')))).toEqual([]);
  });

  it('12.2.4 (an emulated version without the JSX runtime) lacks exactly react/jsx-runtime and is outside the range', () => {
    expect(satisfies('12.2.4', range('plugin.json'))).toBe(false);
    for (const file of MODULES) {
      expect(unsharedImports(code.get(file)!, sharedModules('12.2.4')), file).toEqual(['react/jsx-runtime']);
    }
  });

  it("is the range the plugin's README (Grafana's plugin page) states as its requirement", () => {
    const stated = /^- Grafana (\d+\.\d+) or newer/m.exec(readFileSync(path.join(ROOT, 'src/README.md'), 'utf8'));
    expect(stated, 'src/README.md states no "Grafana X.Y or newer"').not.toBeNull();
    expect(range('plugin.json')).toBe(`>=${stated![1]}.0`);
  });

  it('admits 12.3.0, the first minor that shares it in every release (so no loadable minor is cut off)', () => {
    expect(range('plugin.json')).toBe('>=12.3.0');
    expect(satisfies('12.3.0', range('plugin.json'))).toBe(true);
    expect(unsharedImports(code.get('module.js')!, sharedModules('12.3.0'))).toEqual([]);
  });
});

describe('the check itself', () => {
  it('flags a module a wrong list lacks', () => {
    const withoutUi = sharedModules('13.2.3').filter((name) => name !== '@grafana/ui');
    expect(unsharedImports(code.get('panel/module.js')!, withoutUi)).toEqual(['@grafana/ui']);
    expect(importedModules(code.get('panel/module.js')!)).toContain('@grafana/ui');
  });
});

describe("Grafana's react-router (react-router-dom-v5-compat)", () => {
  const fromGrafana = createRequire(path.join(ROOT, 'node_modules/@grafana/ui/package.json'));
  const grafanaRouter = fromGrafana(GRAFANA_PACKAGE_OF['react-router']!) as Record<string, unknown>;
  /** `UNSAFE_*` names a module's code uses that Grafana's react-router does not export. */
  const missingUnsafe = (source: string) =>
    [...new Set(source.match(/UNSAFE_\w+/g) ?? [])].filter((name) => !(name in grafanaRouter));

  it('offers every UNSAFE_* name the bundled react-router-dom 6 uses from it', () => {
    for (const file of MODULES) {
      expect(missingUnsafe(code.get(file)!), file).toEqual([]);
    }
  });

  it("lacks what react-router-dom 6's BrowserRouter and data routers need (so the check above can fail)", () => {
    const routerDom6 = readFileSync(path.join(ROOT, 'node_modules/react-router-dom/dist/index.js'), 'utf8');
    expect(missingUnsafe(routerDom6)).toEqual(
      expect.arrayContaining(['UNSAFE_logV6DeprecationWarnings', 'UNSAFE_mapRouteProperties'])
    );
  });
});

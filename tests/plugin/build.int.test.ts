/**
 * Checks the built plugin the way Grafana will meet it: AMD modules that take Grafana's shared modules
 * from Grafana instead of carrying their own copies, plugin.json files that pass Grafana's schema and
 * point at files that exist, and a download size within the issue's budget.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRAFANA_SHARED_MODULES } from '../../.config/grafanaShared';
import { defineDependencies, importedModules } from './amd';
import { buildPlugin, DIST, ROOT, type BuildStats } from './build';

const MODULES = ['module.js', 'panel/module.js', 'datasource/module.js'];
const GZIP_BUDGET_BYTES = 250 * 1024;

/** Strings only present in the code of packages Grafana provides: finding one means a copy was bundled. */
const INLINED_MARKERS: Record<string, string> = {
  'react.transitional.element': 'React (element symbol)',
  'Minified React error': 'react-dom',
  'object unsubscribed': 'rxjs',
  'data-emotion': '@emotion/css',
};

interface PluginJson {
  id: string;
  type: string;
  info: { version: string; updated: string; logos: { small: string; large: string } };
  includes?: Array<{ type: string; name: string; path?: string; role?: string }>;
  dependencies: { grafanaDependency: string };
  routes?: Array<{ path: string; url: string; headers: Array<{ name: string; content: string }> }>;
  [key: string]: unknown;
}

const readDist = (file: string) => readFileSync(path.join(DIST, file), 'utf8');
const pluginJson = (file: string) => JSON.parse(readDist(file)) as PluginJson;

function validator() {
  // Grafana's schema escapes '-' in patterns, legal in JavaScript's non-unicode regular expressions only.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync('/work/shared/schemas/plugin.schema.json', 'utf8')));
}

let stats: BuildStats;
beforeAll(() => {
  stats = buildPlugin();
});

describe('module.js files', () => {
  it.each(MODULES)('%s is one AMD define() whose dependencies are all Grafana-provided', (file) => {
    const code = readDist(file);
    const deps = importedModules(code);
    expect(deps.length).toBeGreaterThan(0);
    for (const dep of deps) {
      expect(GRAFANA_SHARED_MODULES).toContain(dep);
    }
    // AMD's `module` carries the module's URL, from which the public path is set at run time.
    expect(defineDependencies(code)).toContain('module');
  });

  it.each(MODULES)('%s carries no copy of React, react-dom, rxjs or emotion', (file) => {
    const code = readDist(file);
    for (const [marker, pkg] of Object.entries(INLINED_MARKERS)) {
      expect(code.includes(marker), `${file} inlines ${pkg} ("${marker}")`).toBe(false);
    }
  });

  it('webpack bundled no module from a package Grafana provides', () => {
    const sharedPackages = new Set(GRAFANA_SHARED_MODULES.map((m) => (m.startsWith('@') ? m : m.split('/')[0]!)));
    const inlined = stats.modules
      .map((m) => m.identifier)
      .filter((id) => {
        const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id);
        return match !== null && sharedPackages.has(match[1]!);
      });
    expect(inlined).toEqual([]);
    // The stats list really is the bundle's content: the externals appear as such.
    expect(stats.modules.some((m) => m.name === 'external "@grafana/data"')).toBe(true);
  });

  it(`all module.js together stay within ${GZIP_BUDGET_BYTES / 1024} KiB gzipped`, () => {
    const sizes = MODULES.map((file) => ({ file, gzip: gzipSync(readFileSync(path.join(DIST, file))).length }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(`gzipped module.js sizes: ${sizes.map((s) => `${s.file} ${s.gzip} B`).join(', ')}; total ${total} B`);
    expect(total).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });
});

describe('plugin.json files', () => {
  const files = ['plugin.json', 'panel/plugin.json', 'datasource/plugin.json'];
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it.each(files)('%s is valid against Grafana plugin.schema.json and stamped with the package version', (file) => {
    const validate = validator();
    const json = pluginJson(file);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.info.version).toBe(version);
    expect(json.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Why this range: tests/plugin/grafanaVersions.int.test.ts.
    expect(json.dependencies.grafanaDependency).toBe(pluginJson('plugin.json').dependencies.grafanaDependency);
    expect(readDist(file)).not.toContain('%');
  });

  it('the schema check rejects a plugin.json Grafana would refuse', () => {
    const validate = validator();
    const broken = pluginJson('panel/plugin.json');
    delete (broken as Partial<PluginJson>).dependencies;
    expect(validate(broken)).toBe(false);
    expect(validate({ ...pluginJson('plugin.json'), type: 'widget' })).toBe(false);
  });

  it.each(files)('%s has its logos in its own folder, where Grafana looks for them', (file) => {
    const dir = path.dirname(path.join(DIST, file));
    const { logos } = pluginJson(file).info;
    for (const logo of [logos.small, logos.large]) {
      expect(existsSync(path.join(dir, logo)), logo).toBe(true);
    }
  });

  it('the app includes the nested panel and datasource by path, with matching types and ids', () => {
    const app = pluginJson('plugin.json');
    expect(app).toMatchObject({ id: 't3-dropattribution-app', type: 'app' });
    const nested = (app.includes ?? []).filter((i) => i.type === 'panel' || i.type === 'datasource');
    expect(nested.map((i) => [i.type, i.path])).toEqual([
      ['panel', 'panel/plugin.json'],
      ['datasource', 'datasource/plugin.json'],
    ]);
    for (const include of nested) {
      const target = path.join(DIST, include.path!);
      expect(existsSync(target), include.path).toBe(true);
      expect(existsSync(path.join(path.dirname(target), 'module.js'))).toBe(true);
      expect(pluginJson(include.path!).type).toBe(include.type);
    }
    expect(pluginJson('panel/plugin.json').id).toBe('t3-dropattribution-panel');
    expect(pluginJson('datasource/plugin.json').id).toBe('t3-dropattribution-datasource');
  });

  it('the app declares the Triage, Incidents and Configuration pages under /a/<app id>/', () => {
    const pages = (pluginJson('plugin.json').includes ?? []).filter((i) => i.type === 'page');
    expect(pages.map((p) => [p.name, p.path])).toEqual([
      ['Triage', '/a/t3-dropattribution-app/triage'],
      ['Incidents', '/a/t3-dropattribution-app/incidents'],
      ['Configuration', '/a/t3-dropattribution-app/configuration'],
    ]);
  });

  it('the datasource reaches the probe through the data proxy with the token injected server-side', () => {
    const ds = pluginJson('datasource/plugin.json');
    expect(ds).toMatchObject({ annotations: true, metrics: true, backend: false });
    expect(ds.routes).toEqual([
      {
        path: 'probe',
        url: '{{ .JsonData.url }}',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
      },
    ]);
  });
});

describe('dist contents', () => {
  it('ships the logo, the plugin README and the CHANGELOG (and LICENSE when the repository has one)', () => {
    for (const file of ['img/logo.svg', 'README.md', 'CHANGELOG.md']) {
      expect(existsSync(path.join(DIST, file)), file).toBe(true);
    }
    expect(readDist('img/logo.svg')).toContain('<svg');
    expect(existsSync(path.join(DIST, 'LICENSE'))).toBe(existsSync(path.join(ROOT, 'LICENSE')));
    // Nested plugins must not carry a package.json: Grafana would treat them as separate plugins.
    expect(existsSync(path.join(DIST, 'panel/package.json'))).toBe(false);
  });
});

/**
 * Builds the harness page's script with esbuild: the real Grafana shared packages plus the stand-ins in
 * ./page, for one of two Grafana generations:
 *   13 — the repository's own @grafana/* 13.2 on React 19 (what Grafana 13.2 ships);
 *   12 — @grafana/* 12.4 on React 18 from the ../grafana12 workspace (what Grafana 12.x ships).
 * For 12, every package that workspace holds is taken from there, whoever imports it, so the bundle has
 * exactly one React and one @grafana/data. Cached under node_modules/.cache keyed by the packages'
 * versions and the harness sources, so only the first run on a machine pays for bundling @grafana/ui.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion, type Plugin } from 'esbuild';
import { GRAFANA_SHARED_MODULES } from '../../../.config/grafanaShared';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const GRAFANA12 = path.resolve(HERE, '../grafana12');

export type GrafanaGeneration = 12 | 13;

export interface SharedBundle {
  file: string;
  generation: GrafanaGeneration;
  /** Shared module names that were registered, and those Grafana has but node_modules lacks. */
  registered: string[];
  missing: string[];
  /** Versions actually bundled, e.g. { react: '18.3.1', '@grafana/ui': '12.4.10' }. */
  versions: Record<string, string>;
}

/** Top-level package names installed in `dir`/node_modules (scoped ones as @scope/name). */
function installedPackages(dir: string): Set<string> {
  const modules = path.join(dir, 'node_modules');
  const names = new Set<string>();
  if (!existsSync(modules)) {
    return names;
  }
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(path.join(modules, entry))) {
        names.add(`${entry}/${sub}`);
      }
    } else if (!entry.startsWith('.')) {
      names.add(entry);
    }
  }
  return names;
}

const packageOf = (name: string) =>
  name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;

/** Sends imports of the packages the Grafana 12 workspace holds to that workspace's copies. */
function preferPackagesFrom(dir: string, names: Set<string>): Plugin {
  return {
    name: 'grafana12-packages',
    setup(b) {
      b.onResolve({ filter: /^[@a-z]/ }, async (args) => {
        if (args.pluginData === 'redirected' || !names.has(packageOf(args.path))) {
          return undefined;
        }
        const result = await b.resolve(args.path, { resolveDir: dir, kind: args.kind, pluginData: 'redirected' });
        return result.errors.length > 0 ? { errors: result.errors } : result;
      });
    },
  };
}

/** The version in the package.json of `pkg` above a file it resolved to (some packages do not export it). */
function versionOf(resolvedFile: string, pkg: string): string {
  for (let dir = path.dirname(resolvedFile); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
      if (json.name === pkg) {
        return json.version;
      }
    }
  }
  throw new Error(`no package.json of ${pkg} above ${resolvedFile}`);
}

function virtualSharedModules(registered: string[], resolveDir: string): Plugin {
  const contents = [
    ...registered.map((name, i) => `import * as m${i} from ${JSON.stringify(name)};`),
    `export const sharedModules = {${registered.map((name, i) => `${JSON.stringify(name)}: m${i}`).join(', ')}};`,
  ].join('\n');
  return {
    name: 'grafana-shared-modules',
    setup(b) {
      b.onResolve({ filter: /^virtual:grafana-shared-modules$/ }, () => ({ path: 'shared', namespace: 'virtual' }));
      b.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents, resolveDir, loader: 'js' }));
    },
  };
}

function cacheKey(generation: GrafanaGeneration, versions: Record<string, string>): string {
  const hash = createHash('sha256').update(`${esbuildVersion} ${generation} ${JSON.stringify(versions)}`);
  for (const dir of [HERE, path.join(HERE, 'page')]) {
    for (const file of readdirSync(dir).sort()) {
      if (/\.tsx?$/.test(file)) {
        hash.update(readFileSync(path.join(dir, file)));
      }
    }
  }
  hash.update(readFileSync(path.join(ROOT, '.config/grafanaShared.ts')));
  return hash.digest('hex').slice(0, 16);
}

export async function buildSharedBundle(generation: GrafanaGeneration = 13): Promise<SharedBundle> {
  const base = generation === 12 ? GRAFANA12 : ROOT;
  const fromBase = createRequire(path.join(base, 'package.json'));
  const versions: Record<string, string> = {};
  const registered: string[] = [];
  for (const name of GRAFANA_SHARED_MODULES) {
    try {
      fromBase.resolve(name);
    } catch {
      continue;
    }
    registered.push(name);
    const pkg = packageOf(name);
    versions[pkg] = versionOf(fromBase.resolve(name), pkg);
  }
  const missing = GRAFANA_SHARED_MODULES.filter((name) => !registered.includes(name));
  if (generation === 12 && !versions['@grafana/ui']?.startsWith('12.')) {
    throw new Error(`the Grafana 12 packages are not installed in ${GRAFANA12} (run npm ci at the repository root)`);
  }
  const dir = path.join(ROOT, 'node_modules/.cache/t3-harness');
  const file = path.join(dir, `shared-${generation}-${cacheKey(generation, versions)}.js`);
  if (existsSync(file)) {
    return { file, generation, registered, missing, versions };
  }

  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await build({
    entryPoints: [path.join(HERE, 'page/entry.ts')],
    outfile: tmp,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    logLevel: 'error',
    // Grafana runs React and its own packages in production mode.
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.css': 'empty' },
    absWorkingDir: ROOT,
    plugins: [
      virtualSharedModules(registered, base),
      ...(generation === 12 ? [preferPackagesFrom(GRAFANA12, installedPackages(GRAFANA12))] : []),
    ],
  });
  // Rename last so a concurrent or interrupted run never leaves a half-written bundle under the final name.
  renameSync(tmp, file);
  return { file, generation, registered, missing, versions };
}

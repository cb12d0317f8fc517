/**
 * Builds the harness page's script with esbuild: the real frontend packages of one emulated Grafana
 * version (grafanaVersions.ts) plus the stand-ins in ./page. The packages are resolved the way Grafana's
 * own frontend resolves them, from @grafana/ui's folder: the repository's @grafana/* 13.2 on React 19,
 * or @grafana/* 12.4 on React 18 from the ../grafana12 workspace, where every package that workspace
 * holds is taken from there, whoever imports it, so the bundle has exactly one React and one
 * @grafana/data. Exactly the version's shared modules are registered; one that cannot be resolved is an
 * error, never skipped. Cached under node_modules/.cache keyed by the packages' versions, the list and the
 * harness sources, so only the first run on a machine pays for bundling @grafana/ui.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion, type Plugin } from 'esbuild';
import {
  GRAFANA_PACKAGE_OF,
  reactMajorOf,
  sharedModules,
  type EmulatedVersion,
  type SharedModule,
} from './grafanaVersions';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const GRAFANA12 = path.resolve(HERE, '../grafana12');

export interface SharedBundle {
  file: string;
  /** The Grafana version emulated, e.g. "12.4.10". */
  grafana: EmulatedVersion;
  /** The shared module names registered in SystemJS: exactly that version's list. */
  registered: SharedModule[];
  /** Package versions actually bundled, e.g. { react: '18.3.1', '@grafana/ui': '12.4.10' }. */
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

/** The page's own imports resolve as Grafana's frontend resolves its packages: from @grafana/ui's folder. */
function resolveLikeGrafana(pageDir: string, grafanaUi: string): Plugin {
  return {
    name: 'grafana-app-packages',
    setup(b) {
      b.onResolve({ filter: /^[@a-z]/ }, async (args) => {
        if (args.pluginData === 'grafana-app' || !args.importer.startsWith(pageDir + path.sep)) {
          return undefined;
        }
        const result = await b.resolve(args.path, {
          resolveDir: grafanaUi,
          kind: args.kind,
          pluginData: 'grafana-app',
        });
        return result.errors.length > 0 ? { errors: result.errors } : result;
      });
    },
  };
}

const packageSpecifier = (name: SharedModule) => GRAFANA_PACKAGE_OF[name] ?? name;

function virtualSharedModules(registered: SharedModule[], resolveDir: string): Plugin {
  const contents = [
    ...registered.map((name, i) => `import * as m${i} from ${JSON.stringify(packageSpecifier(name))};`),
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

function cacheKey(registered: SharedModule[], versions: Record<string, string>): string {
  const hash = createHash('sha256').update(`${esbuildVersion} ${registered.join(',')} ${JSON.stringify(versions)}`);
  for (const dir of [HERE, path.join(HERE, 'page')]) {
    for (const file of readdirSync(dir).sort()) {
      if (/\.tsx?$/.test(file)) {
        hash.update(readFileSync(path.join(dir, file)));
      }
    }
  }
  return hash.digest('hex').slice(0, 16);
}

export async function buildSharedBundle(grafana: EmulatedVersion): Promise<SharedBundle> {
  const react = reactMajorOf(grafana);
  const base = react === 18 ? GRAFANA12 : ROOT;
  const grafanaUi = path.join(base, 'node_modules/@grafana/ui');
  const fromGrafana = createRequire(path.join(grafanaUi, 'package.json'));
  const registered = sharedModules(grafana);
  const versions: Record<string, string> = {};
  for (const name of registered) {
    const specifier = packageSpecifier(name);
    let resolved: string;
    try {
      resolved = fromGrafana.resolve(specifier);
    } catch {
      throw new Error(
        `Grafana ${grafana} shares "${name}", but ${specifier} is not installed (run npm ci at the root)`
      );
    }
    const pkg = packageOf(specifier);
    versions[pkg] = versionOf(resolved, pkg);
  }
  if (!versions.react?.startsWith(`${react}.`)) {
    throw new Error(`Grafana ${grafana} runs React ${react}, but ${base} holds React ${versions.react}`);
  }
  const dir = path.join(ROOT, 'node_modules/.cache/t3-harness');
  const file = path.join(dir, `shared-react${react}-${cacheKey(registered, versions)}.js`);
  if (existsSync(file)) {
    return { file, grafana, registered, versions };
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
      virtualSharedModules(registered, grafanaUi),
      resolveLikeGrafana(path.join(HERE, 'page'), grafanaUi),
      ...(react === 18 ? [preferPackagesFrom(GRAFANA12, installedPackages(GRAFANA12))] : []),
    ],
  });
  // Rename last so a concurrent or interrupted run never leaves a half-written bundle under the final name.
  renameSync(tmp, file);
  return { file, grafana, registered, versions };
}

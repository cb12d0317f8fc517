/**
 * Runs the plugin's production build exactly as `npm run build:plugin` does, for tests that need `dist/`.
 * `ensurePluginBuilt` skips the work when dist is newer than every input, so browser test files that run
 * one after another do not rebuild the same sources.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');

export interface BuildStats {
  /** Every module webpack put into any plugin's output, by the path it was read from (or `external "x"`). */
  modules: Array<{ name: string; identifier: string }>;
}

/** Builds dist/ (one compilation per plugin) and returns webpack's stats; throws with webpack's output on failure. */
export function buildPlugin(): BuildStats {
  const statsFile = path.join(mkdtempSync(path.join(tmpdir(), 't3-build-')), 'stats.json');
  const run = spawnSync(
    path.join(ROOT, 'node_modules/.bin/webpack'),
    ['-c', '.config/webpack.config.ts', '--disable-interpret', '--mode', 'production', '--json', statsFile],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '--import tsx' },
      encoding: 'utf8',
      timeout: 180_000,
    }
  );
  if (run.status !== 0) {
    throw new Error(`plugin build failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { children: BuildStats[] };
  return { modules: stats.children.flatMap((child) => child.modules) };
}

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) {
    return st.mtimeMs;
  }
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

export function ensurePluginBuilt(): void {
  const marker = path.join(DIST, 'panel', 'module.js');
  const inputs = ['src', 'plugin.json', 'package.json', 'CHANGELOG.md', '.config'].map((p) => path.join(ROOT, p));
  if (existsSync(marker) && statSync(marker).mtimeMs > Math.max(...inputs.map(newestMtime))) {
    return;
  }
  buildPlugin();
}

/**
 * `npm run screenshots`: refreshes the README's pictures. Runs the browser tests that take them (they
 * write to artifacts/screenshots/ only, so a test run never touches the tree), then copies over every
 * picture docs/screenshots/ holds from this run's output, refusing any the run did not write.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../plugin/build';
import { SCREENSHOT_DIR } from './harness';

const README_DIR = path.join(ROOT, 'docs/screenshots');
const TESTS = [
  'tests/browser/panel.int.test.ts',
  'tests/browser/app.int.test.ts',
  'tests/browser/panelUser.int.test.ts',
  'tests/browser/triageUser.int.test.ts',
];

const started = Date.now();
const run = spawnSync('npx', ['vitest', 'run', '--project', 'integration', ...TESTS], { cwd: ROOT, stdio: 'inherit' });
if (run.status !== 0) {
  console.error('screenshots: the browser tests failed; docs/screenshots/ left as it was');
  process.exit(1);
}
const stale: string[] = [];
for (const name of readdirSync(README_DIR).filter((f) => f.endsWith('.png'))) {
  const fresh = path.join(SCREENSHOT_DIR, name);
  if (!existsSync(fresh) || statSync(fresh).mtimeMs < started) {
    stale.push(name);
    continue;
  }
  copyFileSync(fresh, path.join(README_DIR, name));
  console.log(`screenshots: docs/screenshots/${name} refreshed`);
}
if (stale.length > 0) {
  console.error(`screenshots: this run did not take ${stale.join(', ')}; those were left as they were`);
  process.exit(1);
}

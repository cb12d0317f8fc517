// Bundles the probe (and the engine it imports from ../src/attribution) into one ESM file.
// node_modules stay external: the runtime installs them with npm, so native resolution keeps working.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile: new URL('./dist/t3-probe.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  define: { __T3PROBE_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

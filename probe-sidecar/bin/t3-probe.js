#!/usr/bin/env node
// The CLI entry: the real code is the esbuild bundle (npm run build).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/t3-probe.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('t3-probe: not built yet; run `npm run build` at the repository root\n');
  process.exit(1);
}
await import(bundle.href);

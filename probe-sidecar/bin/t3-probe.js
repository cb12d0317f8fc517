#!/usr/bin/env node
// The CLI entry: the real code is the esbuild bundle (npm run build).
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const bundle = new URL('../dist/t3-probe.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('t3-probe: not built yet; run `npm run build` at the repository root\n');
  process.exit(1);
}
// Set before any of the probe is loaded. Opening many connections at once keeps their buffers alive long
// enough for V8 to decide that ws's and the streams' allocation sites make long-lived objects; from then
// on every frame's short-lived objects are allocated in the old generation, which doubled the committed
// heap and the major GCs of a probe with 1,000 legs (docs/benchmarks.md, "allocation-site pretenuring").
setFlagsFromString('--no-allocation-site-pretenuring');
await import(bundle.href);

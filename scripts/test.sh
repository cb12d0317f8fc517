#!/usr/bin/env bash
# The project's test command: type-check, lint, build the plugin and the probe, then run every test
# (unit, integration against real processes, browser) and close with one plain summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run typecheck
npm run lint
npm run build
mkdir -p artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json || status=$?
node scripts/summary.mjs artifacts/vitest.json
exit "$status"

#!/usr/bin/env bash
# The project's test command: type-check, lint, build the plugin and the probe, then every test — the fast
# unit project first, then the integration project (real processes, one file at a time, so it has both
# cores to itself) — and close with one plain summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run typecheck
npm run lint
npm run format:check
npm run build
rm -rf artifacts/vitest && mkdir -p artifacts/vitest
status=0
for project in unit integration; do
  npx vitest run --project "$project" --reporter=default --reporter=json \
    --outputFile.json="artifacts/vitest/$project.json" || status=1
done
node scripts/summary.mjs artifacts/vitest/unit.json artifacts/vitest/integration.json
exit "$status"

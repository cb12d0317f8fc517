/** What a benchmark found: table rows for the runner's summary and one JSON line per benchmark on disk. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../lab/child';

export interface Row {
  benchmark: string;
  measure: string;
  result: string;
  target: string;
  /** null when the row is informational (no target). */
  pass: boolean | null;
}

export interface BenchResult {
  rows: Row[];
  /** Raw numbers behind the rows, kept in the JSON file. */
  details: Record<string, unknown>;
}

const ARTIFACTS = join(REPO_ROOT, 'artifacts/bench');

export function writeResult(name: string, result: BenchResult, startedAt: number): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.json`);
  const line = {
    name,
    startedAt: new Date(startedAt).toISOString(),
    seconds: Math.round((Date.now() - startedAt) / 1000),
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    ...result,
  };
  writeFileSync(file, `${JSON.stringify(line)}\n`);
  return file;
}

export function markdownTable(rows: readonly Row[]): string {
  const mark = (pass: boolean | null): string => (pass === null ? '—' : pass ? 'yes' : '**no**');
  const lines = ['| benchmark | measure | result | target | met |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    lines.push(`| ${r.benchmark} | ${r.measure} | ${r.result} | ${r.target} | ${mark(r.pass)} |`);
  }
  return lines.join('\n');
}

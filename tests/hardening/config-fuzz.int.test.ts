/**
 * Config fuzzing: hundreds of seeded malformed configs (config-gen.ts). Every one through the config
 * loader in-process, and a sample through the built CLI: always exit 2 with exactly one stderr line
 * `config error: <key>: …` naming the key (where there is one), never a stack trace, never a probe start.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../probe-sidecar/src/config/error';
import { loadConfig } from '../../probe-sidecar/src/config/load';
import { buildProbe, runCli } from '../../lab/drive/probe-process';
import { badConfigs, type BadConfig } from './config-gen';
import { rng, seedFromEnv } from './seeded';

const SEED = seedFromEnv(2026);
const ALL = 600;
const CLI_SAMPLE = 60;
/** One line a person can read: a long value is cut when quoted. */
const MAX_LINE = 400;

const dir = mkdtempSync(join(tmpdir(), 't3-config-fuzz-'));
const cases: Array<BadConfig & { file: string }> = [];

beforeAll(() => {
  let i = 0;
  for (const c of badConfigs(rng(SEED), ALL)) {
    const file = join(dir, `case-${i++}.yaml`);
    writeFileSync(file, c.bytes);
    cases.push({ ...c, file });
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function describeCase(c: BadConfig & { file: string }): string {
  return `${c.kind} (${c.file}, seed ${SEED})`;
}

describe(`${ALL} malformed configs (seed ${SEED})`, () => {
  it('in-process: each is one ConfigError, on one line, naming its key', () => {
    const kinds = new Map<string, number>();
    const wrong: string[] = [];
    for (const c of cases) {
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      let err: unknown = null;
      try {
        loadConfig(c.file, {});
      } catch (e) {
        err = e;
      }
      if (!(err instanceof ConfigError)) {
        wrong.push(`${describeCase(c)}: ${err === null ? 'accepted' : `threw ${String(err)}`}`);
        continue;
      }
      const line = `config error: ${err.message}`;
      if (line.includes('\n') || line.length > MAX_LINE) {
        wrong.push(`${describeCase(c)}: not one short line (${line.length} chars)`);
      } else if (c.key !== null && err.key !== c.key) {
        wrong.push(`${describeCase(c)}: named ${JSON.stringify(err.key)}, expected ${JSON.stringify(c.key)} — ${line}`);
      }
    }
    console.log(`config fuzz: ${cases.length} configs, kinds ${JSON.stringify(Object.fromEntries(kinds))}`);
    expect(wrong).toEqual([]);
    expect(kinds.size).toBe(12);
  });

  it(`the CLI, ${CLI_SAMPLE} of them: exit 2, one stderr line naming the key, nothing on stdout`, async () => {
    buildProbe();
    const step = Math.floor(ALL / CLI_SAMPLE);
    const sample = cases.filter((_, i) => i % step === 0).slice(0, CLI_SAMPLE);
    const wrong: string[] = [];
    // Four at a time: each is a node start (~150 ms); bounded by runCli's own 10 s timeout.
    for (let i = 0; i < sample.length; i += 4) {
      await Promise.all(
        sample.slice(i, i + 4).map(async (c) => {
          const { code, stdout, stderr } = await runCli(['--config', c.file]);
          const lines = stderr.split('\n').filter(Boolean);
          const expected = c.key === null ? 'config error: ' : `config error: ${c.key}: `;
          if (code !== 2 || lines.length !== 1 || !lines[0]!.startsWith(expected) || stdout !== '') {
            wrong.push(
              `${describeCase(c)}: exit ${code}, stdout ${JSON.stringify(stdout.slice(0, 100))}, stderr ${JSON.stringify(stderr.slice(0, 300))}`
            );
          }
          if (/\n\s+at /.test(stderr)) {
            wrong.push(`${describeCase(c)}: a stack trace`);
          }
        })
      );
    }
    expect(sample.length).toBe(CLI_SAMPLE);
    expect(wrong).toEqual([]);
  }, 120_000);
});

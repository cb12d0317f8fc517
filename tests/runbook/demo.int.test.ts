/** The README's first command: the demo plays every runbook row and says each verdict in plain words. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../lab/scenarios';
import { REPO } from '../support/stack';

describe('npm run demo', () => {
  it('attributes every scenario as the runbook says, printing the verdicts with segment ids', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--once', '--listen', '127.0.0.1:0'],
      {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 400_000,
      }
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${SCENARIOS.length}/${SCENARIOS.length} scenarios attributed as the runbook says.`);
    expect(run.stdout).toContain('suspects: wan, cf-edge, tunnel');
    expect(run.stdout).toContain('suspects: devvm-net, serve');
    expect(run.stdout).toMatch(/verdict: {2}exonerated — Infra clean/);
    expect(run.stdout).not.toContain('✗');
  }, 420_000);
});

/** The README's first command: the demo plays every runbook row and says each verdict in plain words. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../lab/scenarios';
import { REPO } from '../support/stack';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

// Asynchronous on purpose: a synchronous child would block this worker's event loop for minutes.
function runDemo(timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--once', '--listen', '127.0.0.1:0'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the demo did not finish within ${timeoutMs} ms; output so far:\n${stdout}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('npm run demo', () => {
  it('attributes every scenario as the runbook says, printing the verdicts with segment ids', async () => {
    const run = await runDemo(400_000);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${SCENARIOS.length}/${SCENARIOS.length} scenarios attributed as the runbook says.`);
    expect(run.stdout).toContain('suspects: wan, cf-edge, tunnel');
    expect(run.stdout).toContain('suspects: devvm-net, serve');
    expect(run.stdout).toMatch(/verdict: {2}exonerated — Infra clean/);
    expect(run.stdout).not.toContain('✗');
  }, 420_000);
});

/** The README's first command: the demo plays every runbook row and says each verdict in plain words. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../lab/scenarios';
import { USER_SCENARIOS } from '../../lab/user-scenarios';
import { REPO_ROOT } from '../../lab/child';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

// Asynchronous on purpose: a synchronous child would block this worker's event loop for minutes.
// A demo that overruns gets SIGTERM (it stops its lab and probe, then exits; SIGKILL 10 s later), and the
// test gives up only once it has exited, so nothing it started outlives the test.
function runDemo(timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--once', '--listen', '127.0.0.1:0'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let overran = false;
    let kill: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      overran = true;
      child.kill('SIGTERM');
      kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (status) => {
      clearTimeout(timer);
      clearTimeout(kill);
      if (overran) {
        reject(new Error(`the demo did not finish within ${timeoutMs} ms; output so far:\n${stdout}`));
      } else {
        resolve({ status, stdout, stderr });
      }
    });
  });
}

describe('npm run demo', () => {
  it('attributes every scenario as the runbook says, printing the verdicts with segment ids', async () => {
    const run = await runDemo(400_000);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${SCENARIOS.length}/${SCENARIOS.length} scenarios attributed as the runbook says.`);
    // The finer legs narrow the runbook's rows to one segment each where they can.
    expect(run.stdout).toContain('suspects: tunnel\n');
    expect(run.stdout).toContain('suspects: wan, cf-edge\n');
    expect(run.stdout).toContain('suspects: dispatch\n');
    expect(run.stdout).toContain('suspects: traefik\n');
    expect(run.stdout).toContain('suspects: serve\n');
    expect(run.stdout).toMatch(/verdict: {2}exonerated — Infra clean/);
    // Per user: the stalled instance's user, another watched user, and a user whose instance nobody watched.
    expect(run.stdout).toContain(`${USER_SCENARIOS.length}/${USER_SCENARIOS.length} user scenarios attributed`);
    expect(run.stdout).toMatch(/alice: +incident — .*\n +suspects: serve\.alice\n/);
    expect(run.stdout).toMatch(/bob: +exonerated — Infra clean for bob.*\n +suspects: client\n/);
    expect(run.stdout).toMatch(
      /carol: +exonerated — .*serve\.carol\) was not watched.*\n +suspects: client, serve\.carol\n/
    );
    expect(run.stdout).not.toContain('✗');
  }, 420_000);
});

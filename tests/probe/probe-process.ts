/**
 * The built `t3-probe` CLI as a real process (its own process group), for integration tests: its JSON
 * log lines parsed as they come, its API address taken from the "probe started" line, bounded waits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO_ROOT } from '../lab/child';

export const CLI = join(REPO_ROOT, 'probe-sidecar/bin/t3-probe.js');

/** Builds the bundle the CLI runs (esbuild, well under a second). */
export function buildProbe(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'probe-sidecar/build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export type LogLine = Record<string, unknown> & { msg: string; level: string };

/** The parts of the probe's API answers these tests read. */
export interface ApiBody {
  legs: Array<{ name: string; connected: boolean; misconfigured: boolean; lastReason: string | null }>;
  incidents: Array<{ id: string; end: number | null; suspects: string[]; kind: string; legs: string[] }>;
  events: Array<{ type: string; time: number; leg?: string; rttMs?: number | null; reason?: string; detail?: string }>;
}

export type ApiLeg = ApiBody['legs'][number];

const live = new Set<ProbeProcess>();

export class ProbeProcess {
  readonly lines: LogLine[] = [];
  stderr = '';
  base = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly proc: ChildProcess) {
    live.add(this);
    this.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => live.delete(this));
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as LogLine);
      } catch {
        this.lines.push({ msg: 'NON-JSON', level: 'invalid', line });
      }
    });
  }

  /** Starts the CLI and waits until it serves its API. */
  static async start(configFile: string, extraArgs: string[] = [], timeoutMs = 15_000): Promise<ProbeProcess> {
    const p = new ProbeProcess(
      spawn(process.execPath, [CLI, '--config', configFile, ...extraArgs], {
        cwd: REPO_ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    );
    const started = await p.waitForLine((l) => l.msg === 'probe started', timeoutMs);
    p.base = `http://${started.listen as string}`;
    return p;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  async waitForLine(pred: (l: LogLine) => boolean, timeoutMs: number): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.find(pred);
      if (hit) {
        return hit;
      }
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
        throw new Error(`probe exited (${this.proc.exitCode ?? this.proc.signalCode}); stderr: ${this.stderr}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`no such log line within ${timeoutMs} ms; last lines: ${JSON.stringify(this.lines.slice(-5))}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async get(
    path: string,
    headers: Record<string, string> = {}
  ): Promise<{ status: number; body: string; json: () => ApiBody }> {
    const res = await fetch(this.base + path, { headers, signal: AbortSignal.timeout(5_000) });
    const body = await res.text();
    return { status: res.status, body, json: () => JSON.parse(body) as ApiBody };
  }

  /** Polls /api/v1/legs until `pred` holds, bounded. */
  async waitLegs(pred: (legs: ApiLeg[]) => boolean, timeoutMs = 10_000): Promise<ApiLeg[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const legs = (await this.get('/api/v1/legs')).json().legs;
      if (pred(legs)) {
        return legs;
      }
      if (Date.now() > deadline) {
        throw new Error(`legs not as expected within ${timeoutMs} ms: ${JSON.stringify(legs)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  signal(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw err;
      }
    }
  }

  /** Sends `sig` and waits for the exit, bounded. */
  async stop(
    sig: NodeJS.Signals = 'SIGTERM',
    timeoutMs = 10_000
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.signal(sig);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`probe did not exit within ${timeoutMs} ms after ${sig}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** For afterAll: every probe still running is killed. */
  static async killAll(): Promise<void> {
    await Promise.allSettled([...live].map((p) => p.stop('SIGKILL', 5_000)));
  }
}

/** Runs the CLI to completion (for bad-config cases), bounded. */
export function runCli(
  args: string[],
  timeoutMs = 10_000,
  command: string[] = [process.execPath, CLI]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [cmd, ...pre] = command;
    const proc = spawn(cmd!, [...pre, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`t3-probe ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs bare-ws-loop.ts as a child process and drives its measuring window over stdin. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../lab/child';

export interface BareWindow {
  cpuSeconds: number;
  pings: number;
  pongs: number;
  open: number;
}

export class BareLoop {
  private readonly lines: Array<Record<string, unknown>> = [];
  private readonly waiters: Array<() => void> = [];

  private constructor(private readonly proc: ChildProcess) {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.lines.push({ event: 'output', line });
      }
      this.waiters.splice(0).forEach((w) => w());
    });
    proc.once('exit', () => this.waiters.splice(0).forEach((w) => w()));
  }

  static start(url: string, clients: number, intervalMs: number, deflate: boolean): BareLoop {
    const script = join(REPO_ROOT, 'bench/bare-ws-loop.ts');
    const args = [
      '--import',
      'tsx',
      script,
      '--url',
      url,
      '--clients',
      String(clients),
      '--interval-ms',
      String(intervalMs),
      ...(deflate ? ['--deflate'] : []),
    ];
    // stdin stays a pipe: when this process dies, the loop sees it close and exits.
    return new BareLoop(spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Resolves with the first line whose `event` is `event`; rejects on exit or after `timeoutMs`. */
  async next(event: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.findIndex((l) => l.event === event);
      if (found >= 0) {
        return this.lines.splice(found, 1)[0]!;
      }
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
        throw new Error(`bare ws loop exited (${this.proc.exitCode ?? this.proc.signalCode}) before "${event}"`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`bare ws loop: no "${event}" within ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(command: 'start' | 'stop'): void {
    this.proc.stdin!.write(`${command}\n`);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
      return;
    }
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.stdin!.end();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

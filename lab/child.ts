/**
 * A lab process (stand-in or hop) started as its own process group, so a signal reaches it and
 * anything it starts, and `SIGSTOP` freezes it for real. Start waits for the child's JSON `ready`
 * line, bounded; every child still alive when the test process exits is killed, even on a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

interface ReadyLine {
  event: 'ready';
  port: number;
  pid: number;
  [key: string]: unknown;
}

interface ChildSpec {
  /** Names the child in errors. */
  name: string;
  /** Absolute path of the TypeScript entry point. */
  script: string;
  args: string[];
  /** Command to run node under, e.g. `['ip', 'netns', 'exec', 'ns1']` (it must exec, keeping the pid). */
  wrap?: string[];
  readyTimeoutMs?: number;
}

const live = new Set<LabChild>();
let exitHookInstalled = false;

export class LabChild {
  private stderrTail = '';
  private readonly exited: Promise<void>;

  private constructor(
    readonly spec: ChildSpec,
    readonly proc: ChildProcess,
    readonly pid: number
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-4000);
    });
    void this.exited.then(() => live.delete(this));
  }

  static async start(spec: ChildSpec): Promise<{ child: LabChild; ready: ReadyLine }> {
    installExitHook();
    const [cmd, ...pre] = [...(spec.wrap ?? []), process.execPath];
    // stdin stays an open pipe: the child exits when it closes, i.e. when this process dies.
    const proc = spawn(cmd as string, [...pre, '--import', 'tsx', spec.script, ...spec.args], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pid = proc.pid;
    if (pid === undefined) {
      const err = await new Promise<Error>((resolve) => proc.once('error', resolve));
      throw new Error(`${spec.name}: cannot start ${cmd}: ${err.message}`);
    }
    const child = new LabChild(spec, proc, pid);
    live.add(child);
    try {
      const ready = await child.readReady(spec.readyTimeoutMs ?? 15_000);
      return { child, ready };
    } catch (err) {
      await child.kill();
      throw err;
    }
  }

  alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Signals the whole process group; a no-op once the child has exited. */
  signal(sig: NodeJS.Signals): void {
    if (!this.alive()) {
      return;
    }
    try {
      process.kill(-this.pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw err;
      }
    }
  }

  /** SIGKILL (works on a stopped process too) and wait until it is gone. */
  async kill(timeoutMs = 5_000): Promise<void> {
    this.signal('SIGKILL');
    await this.waitExit(timeoutMs);
  }

  async waitExit(timeoutMs: number): Promise<void> {
    if (!this.alive()) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.spec.name} (pid ${this.pid}) did not exit within ${timeoutMs}ms`)),
        timeoutMs
      );
    });
    try {
      await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private readReady(timeoutMs: number): Promise<ReadyLine> {
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: this.proc.stdout! });
      const fail = (why: string): void => {
        cleanup();
        const stderr = this.stderrTail.trim();
        reject(new Error(`${this.spec.name}: ${why}${stderr ? `; stderr: ${stderr}` : ''}`));
      };
      const onExit = (code: number | null, sig: string | null): void => {
        // Let the last stderr chunk arrive before quoting it.
        setTimeout(() => fail(`exited before it was ready (code ${code}, signal ${sig})`), 50);
      };
      const timer = setTimeout(() => fail(`not ready within ${timeoutMs}ms`), timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.proc.off('exit', onExit);
        lines.off('line', onLine);
      };
      const onLine = (line: string): void => {
        let msg: Partial<ReadyLine>;
        try {
          msg = JSON.parse(line) as Partial<ReadyLine>;
        } catch {
          return fail(`printed a non-JSON line before ready: ${line.slice(0, 200)}`);
        }
        if (msg.event !== 'ready' || typeof msg.port !== 'number') {
          return fail(`unexpected first line: ${line.slice(0, 200)}`);
        }
        cleanup();
        lines.on('line', () => undefined); // keep draining so the child never blocks on a full pipe
        resolve(msg as ReadyLine);
      };
      lines.on('line', onLine);
      this.proc.once('exit', onExit);
    });
  }
}

/** Synchronous last resort: `process.kill` still works inside an `exit` handler. */
function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) {
      child.signal('SIGKILL');
    }
  });
}

/**
 * Real server processes for integration tests (Prometheus, node_exporter, Alertmanager, the probe through
 * probe-process.ts), each in its own process group, started on port 0: the address it really listens on is
 * read from its own log line.
 * stop() resolves only once the process has exited (SIGTERM, SIGKILL after 5 s): tear down what it writes
 * to after that, never alongside. Every process still alive when the test process exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Server {
  name: string;
  pid: number;
  /** host:port it listens on. */
  address: string;
  stop(): Promise<void>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started server with its process, for a launcher that watches it (probe-process.ts). */
export interface StartedServer extends Server {
  proc: ChildProcess;
  /** Resolves once the process is gone (exited, or never started: code and signal null). */
  exited: Promise<Exit>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) {
    killGroup(p, 'SIGKILL');
  }
});

function killGroup(p: ChildProcess, sig: NodeJS.Signals): void {
  if (p.pid === undefined || p.exitCode !== null || p.signalCode !== null) {
    return;
  }
  try {
    process.kill(-p.pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw err;
    }
  }
}

/**
 * Starts `cmd` and resolves once a stdout or stderr line matches `ready`, whose first capture group is
 * the listen address. Rejects (and kills it) when it exits first or after `timeoutMs`, quoting its output.
 * `onLine` sees every line of its output, from the first.
 */
export function startServer(
  name: string,
  cmd: string,
  args: string[],
  ready: RegExp,
  opts: { cwd?: string; timeoutMs?: number; onLine?: (line: string, stream: 'stdout' | 'stderr') => void } = {}
): Promise<StartedServer> {
  const proc = spawn(cmd, args, { cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  // Gone: exited, or never started (a spawn error emits no 'exit'). stop() and the caller's teardown wait
  // for this, so nothing removes a directory the process still writes to.
  const exited = new Promise<Exit>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
    proc.once('error', () => {
      if (proc.pid === undefined) {
        resolve({ code: null, signal: null });
      }
    });
  });
  void exited.then(() => live.delete(proc));
  let tail = '';

  const stop = async (): Promise<void> => {
    killGroup(proc, 'SIGTERM');
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<StartedServer>((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? 20_000;
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${name}: ${why}; output: ${tail.slice(-2000)}`)));
    };
    const timer = setTimeout(() => fail(`not listening within ${timeoutMs}ms`), timeoutMs);
    proc.once('error', (err) => fail(`cannot start ${cmd}: ${err.message}`));
    const onExit = (code: number | null, sig: string | null): void =>
      fail(`exited before it was ready (code ${code}, signal ${sig})`);
    proc.once('exit', onExit);
    let done = false;
    for (const [stream, input] of [
      ['stdout', proc.stdout!],
      ['stderr', proc.stderr!],
    ] as const) {
      createInterface({ input }).on('line', (line) => {
        opts.onLine?.(line, stream);
        tail = `${tail}${line}\n`.slice(-8000);
        const m = done ? null : ready.exec(line);
        if (!m) {
          return;
        }
        done = true;
        clearTimeout(timer);
        proc.off('exit', onExit);
        resolve({ name, pid: proc.pid!, address: m[1]!, stop, proc, exited });
      });
    }
  });
}

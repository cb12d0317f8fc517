/**
 * The one launcher of the built `t3-probe` CLI, for integration and browser tests, benchmarks and scripts:
 * a real process in its own process group (procs.ts), started on a config and found by its "probe started"
 * log line, its JSON log lines parsed as they come, every wait bounded. Its API answers are read with the
 * contract's readers (src/shared/probe-api), so a test reads the probe exactly as the plugin does.
 *
 * - `ProbeProcess.start(configFile)`: the process itself — log lines, stderr, signals, exit status.
 * - `startProbe(configFile)` (re-exported by stack.ts): the same as a plain `Server` for a stack of servers.
 * - `startScratchProbe(configYaml, token?)`: the same on a config written to a temp dir it removes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isApiRoute, readAnswer, type ApiRoute, type ProbeReads } from '../../src/shared/probe-api';
import { REPO_ROOT } from '../child';
import { startServer, type Exit, type Server, type StartedServer } from './procs';

const CLI = join(REPO_ROOT, 'probe-sidecar/bin/t3-probe.js');
const BUNDLE = join(REPO_ROOT, 'probe-sidecar/dist/t3-probe.js');
/** Its address, from the log line it writes once it serves its API. */
const PROBE_STARTED = /"msg":"probe started".*"listen":"([^"]+)"/;

/** Builds the bundle the CLI runs (esbuild, well under a second). */
export function buildProbe(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'probe-sidecar/build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** Builds the probe when its bundle is missing, so a test file also runs on its own. */
export function ensureProbeBuilt(): void {
  if (!existsSync(BUNDLE)) {
    buildProbe();
  }
}

type LogLine = Record<string, unknown> & { msg: string; level: string };

/** The route of an API path with its query string, e.g. `/api/v1/events?from=1` → `/api/v1/events`. */
type RouteOf<P extends string> = P extends `${infer R}?${string}` ? R : P;

/** What a test reads from an answer to `path`: its route's reader's type, or unknown off the API's routes. */
type AnswerAt<P extends string> = RouteOf<P> extends ApiRoute ? ProbeReads[RouteOf<P>] : unknown;

export interface ApiResponse<P extends string> {
  status: number;
  body: string;
  /** The body, read by its route's reader (which throws naming the route and field if it is malformed). */
  json: () => AnswerAt<P>;
}

/** The body of an answer to `path`, read by its route's reader when it is one of the API's routes. */
function readBody(path: string, body: string): unknown {
  const route = path.split('?')[0]!;
  const parsed: unknown = JSON.parse(body);
  return isApiRoute(route) ? readAnswer(route, parsed) : parsed;
}

const live = new Set<ProbeProcess>();

export class ProbeProcess {
  /** `http://host:port` of its API. */
  readonly base: string;

  private constructor(
    /** The process as a plain server: stop() is SIGTERM, SIGKILL after 5 s, resolved once it exited. */
    readonly server: StartedServer,
    private readonly output: { lines: LogLine[]; stderr: string }
  ) {
    this.base = `http://${server.address}`;
    live.add(this);
    void this.exited.then(() => live.delete(this));
  }

  /** Starts the CLI on `configFile` (in `cwd`, the repository root by default) and waits until it serves its API. */
  static async start(
    configFile: string,
    extraArgs: string[] = [],
    timeoutMs = 15_000,
    cwd = REPO_ROOT
  ): Promise<ProbeProcess> {
    const output = { lines: [] as LogLine[], stderr: '' };
    const server = await startServer(
      't3-probe',
      process.execPath,
      [CLI, '--config', configFile, ...extraArgs],
      PROBE_STARTED,
      {
        cwd,
        timeoutMs,
        onLine: (line, stream) => {
          if (stream === 'stderr') {
            output.stderr += `${line}\n`;
            return;
          }
          try {
            output.lines.push(JSON.parse(line) as LogLine);
          } catch {
            output.lines.push({ msg: 'NON-JSON', level: 'invalid', line });
          }
        },
      }
    );
    return new ProbeProcess(server, output);
  }

  /** Its JSON log lines so far (stdout), in order. */
  get lines(): LogLine[] {
    return this.output.lines;
  }

  /** Everything it wrote to stderr so far. */
  get stderr(): string {
    return this.output.stderr;
  }

  get proc(): StartedServer['proc'] {
    return this.server.proc;
  }

  get exited(): Promise<Exit> {
    return this.server.exited;
  }

  get pid(): number {
    return this.server.pid;
  }

  /** host:port of its API. */
  get address(): string {
    return this.server.address;
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

  /** GET `path` (with its query string); `json()` reads the body with the route's reader. */
  async get<P extends string>(path: P, headers: Record<string, string> = {}): Promise<ApiResponse<P>> {
    const res = await fetch(this.base + path, { headers, signal: AbortSignal.timeout(5_000) });
    const body = await res.text();
    return { status: res.status, body, json: () => readBody(path, body) as AnswerAt<P> };
  }

  /** Polls /api/v1/legs until `pred` holds, bounded. */
  async waitLegs(
    pred: (legs: ProbeReads['/api/v1/legs']['legs']) => boolean,
    timeoutMs = 10_000
  ): Promise<ProbeReads['/api/v1/legs']['legs']> {
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

  /** Sends `sig` and waits for the exit, bounded: for tests of how the probe itself stops. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<Exit> {
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

/** The probe on `configFile` as a plain server of a stack; it must have been built (`npm run build`). */
export async function startProbe(configFile: string, timeoutMs = 20_000): Promise<Server> {
  if (!existsSync(BUNDLE)) {
    throw new Error('the probe is not built: run `npm run build` first');
  }
  return (await ProbeProcess.start(configFile, [], timeoutMs)).server;
}

export interface ScratchProbe {
  /** `http://host:port` of its API. */
  url: string;
  /** Stops it (SIGTERM, SIGKILL after 5 s), then removes its directory. */
  stop(): Promise<void>;
}

/**
 * The probe on `configYaml` written to a fresh temp dir it runs in (relative paths resolve there; `token`
 * goes to ./token), built first when its bundle is missing.
 */
export async function startScratchProbe(configYaml: string, token?: string): Promise<ScratchProbe> {
  ensureProbeBuilt();
  const dir = mkdtempSync(join(tmpdir(), 't3-probe-'));
  try {
    if (token !== undefined) {
      writeFileSync(join(dir, 'token'), `${token}\n`);
    }
    const config = join(dir, 'probe.yaml');
    writeFileSync(config, configYaml);
    const { server } = await ProbeProcess.start(config, [], 20_000, dir);
    return {
      url: `http://${server.address}`,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
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

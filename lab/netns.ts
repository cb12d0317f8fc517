/**
 * Network faults with nftables, for a segment that must fail at the network layer rather than by signals.
 * The test gets two network namespaces of its own, `near` and `far`, joined by a veth pair with 10.x
 * addresses that exist only inside them; the host's own interfaces, routes and rules are never touched.
 *
 *   127.0.0.1:<port>  entry relay (host)  →  unix socket  →  near relay (ns near)
 *     →  10.213.0.2:<q> over the veth  →  far hop (ns far)  →  unix socket  →  exit relay (host)  →  target
 *
 * Unix sockets are filesystem objects, so they cross namespaces: that is how traffic gets in and out
 * without giving the host an address. `block('drop')` silently drops everything arriving at the far hop
 * (TCP retransmits, the connection stays open: a black hole); `block('reject')` answers with TCP resets.
 * Rules live in the `far` namespace only. stop() deletes both namespaces (which deletes the veth pair);
 * namespaces are also deleted when the test process exits, and sweep() removes those of dead processes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LabChild, REPO_ROOT } from './child';

const run = promisify(execFile);
const HOP = join(REPO_ROOT, 'lab/hop.ts');
const NS_PREFIX = 't3lab-';
const NEAR_ADDR = '10.213.0.1';
const FAR_ADDR = '10.213.0.2';
const COMMAND_TIMEOUT_MS = 5_000;

export type BlockMode = 'drop' | 'reject';
type Availability = { ok: true } | { ok: false; reason: string };

const liveNamespaces = new Set<string>();
let exitHookInstalled = false;
let counter = 0;

interface NetnsHopOptions {
  /** Where the far hop's traffic finally goes (on the host). */
  target: { host: string; port: number };
  /** The host-side entry's listen address, `host:port` (default `127.0.0.1:0`: an ephemeral loopback port). */
  listen?: string;
  readyTimeoutMs?: number;
}

export class NetnsHop {
  private stopped = false;

  private constructor(
    /** The host-side entry: connect to 127.0.0.1:<port>. */
    readonly port: number,
    /** The far hop's port on FAR_ADDR inside its namespace. */
    readonly farPort: number,
    readonly namespaces: { near: string; far: string },
    private readonly children: LabChild[],
    private readonly dir: string,
    private readonly startFar: (port: number) => Promise<LabChild>
  ) {}

  /** The hop process inside the far namespace: the segment itself (signal it to freeze or kill it). */
  get far(): LabChild {
    return this.children[1] as LabChild;
  }

  /** Kills the far hop if it runs and starts a fresh one on the same address. */
  async restartFar(): Promise<void> {
    this.assertRunning();
    await this.far.kill();
    this.children[1] = await this.startFar(this.farPort);
  }

  /** Says whether this machine lets us create namespaces and nftables rules, and if not, why. */
  static async available(): Promise<Availability> {
    if (process.platform !== 'linux') {
      return { ok: false, reason: `network namespaces need Linux, this is ${process.platform}` };
    }
    if (process.getuid?.() !== 0) {
      return { ok: false, reason: 'network namespaces need root' };
    }
    for (const [cmd, args, pkg] of [
      ['ip', ['-V'], 'iproute2'],
      ['nft', ['--version'], 'nftables'],
    ] as const) {
      try {
        await run(cmd, [...args], { timeout: COMMAND_TIMEOUT_MS });
      } catch {
        return { ok: false, reason: `\`${cmd}\` is not available (Debian package ${pkg})` };
      }
    }
    const probe = `${NS_PREFIX}${process.pid}-check`;
    try {
      await ip('netns', 'add', probe);
    } catch (err) {
      return { ok: false, reason: `cannot create a network namespace: ${(err as Error).message}` };
    }
    try {
      await nft(probe, 'add table inet t3lab');
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: `nftables does not work inside a namespace here: ${(err as Error).message}` };
    } finally {
      await ip('netns', 'del', probe);
    }
  }

  /** Deletes namespaces left by test processes that died without cleaning up. */
  static async sweep(): Promise<string[]> {
    const { stdout } = await run('ip', ['netns', 'list'], { timeout: COMMAND_TIMEOUT_MS });
    const removed: string[] = [];
    for (const line of stdout.split('\n')) {
      const name = line.split(' ')[0] ?? '';
      const pid = Number(/^t3lab-([0-9]+)-/.exec(name)?.[1]);
      if (!pid || pidAlive(pid)) {
        continue;
      }
      await ip('netns', 'del', name);
      removed.push(name);
    }
    return removed;
  }

  static async start(opts: NetnsHopOptions): Promise<NetnsHop> {
    installExitHook();
    await NetnsHop.sweep();
    const id = `${process.pid}-${++counter}`;
    const ns = { near: `${NS_PREFIX}${id}-near`, far: `${NS_PREFIX}${id}-far` };
    const veth = { near: `t3v${id.replace('-', 'x')}n`.slice(-15), far: `t3v${id.replace('-', 'x')}f`.slice(-15) };
    const dir = mkdtempSync(join(tmpdir(), 't3-netns-'));
    const children: LabChild[] = [];
    const exitSock = join(dir, 'exit.sock');
    const entrySock = join(dir, 'entry.sock');
    const spawnHop = (name: string, listen: string, target: string, netns?: string) =>
      LabChild.start({
        name,
        script: HOP,
        args: ['--name', name, '--listen', listen, '--target', target],
        wrap: netns ? ['ip', 'netns', 'exec', netns] : undefined,
        readyTimeoutMs: opts.readyTimeoutMs,
      });
    const hop = async (name: string, listen: string, target: string, netns?: string) => {
      const { child, ready } = await spawnHop(name, listen, target, netns);
      children.push(child);
      return ready.port;
    };
    const startFar = async (port: number) =>
      (await spawnHop('netns-far', `${FAR_ADDR}:${port}`, `unix:${exitSock}`, ns.far)).child;
    try {
      for (const name of [ns.near, ns.far]) {
        await ip('netns', 'add', name);
        liveNamespaces.add(name);
      }
      // Created inside `near` with its peer inside `far`: the pair never exists in the host namespace.
      await ip('-n', ns.near, 'link', 'add', veth.near, 'type', 'veth', 'peer', 'name', veth.far, 'netns', ns.far);
      await ip('-n', ns.near, 'addr', 'add', `${NEAR_ADDR}/30`, 'dev', veth.near);
      await ip('-n', ns.far, 'addr', 'add', `${FAR_ADDR}/30`, 'dev', veth.far);
      for (const [name, dev] of [
        [ns.near, veth.near],
        [ns.far, veth.far],
      ] as const) {
        await ip('-n', name, 'link', 'set', 'lo', 'up');
        await ip('-n', name, 'link', 'set', dev, 'up');
      }
      await nft(ns.far, 'add table inet t3lab');
      await nft(ns.far, 'add chain inet t3lab input { type filter hook input priority 0; policy accept; }');

      // Order matters: children[1] is the far hop (see `far`).
      await hop('netns-exit', `unix:${exitSock}`, `${opts.target.host}:${opts.target.port}`);
      const farPort = await hop('netns-far', `${FAR_ADDR}:0`, `unix:${exitSock}`, ns.far);
      await hop('netns-near', `unix:${entrySock}`, `${FAR_ADDR}:${farPort}`, ns.near);
      const port = await hop('netns-entry', opts.listen ?? '127.0.0.1:0', `unix:${entrySock}`);
      return new NetnsHop(port, farPort, ns, children, dir, startFar);
    } catch (err) {
      await teardown(children, ns, dir);
      throw err;
    }
  }

  /** Adds a rule in the far namespace: `drop` = silent black hole, `reject` = TCP resets. */
  async block(mode: BlockMode): Promise<void> {
    this.assertRunning();
    const verdict = mode === 'drop' ? 'drop' : mode === 'reject' ? 'reject with tcp reset' : undefined;
    if (!verdict) {
      throw new Error(`block: mode must be "drop" or "reject", got ${JSON.stringify(mode)}`);
    }
    await nft(this.namespaces.far, `add rule inet t3lab input tcp dport ${this.farPort} ${verdict}`);
  }

  /** Removes every rule block() added. */
  async unblock(): Promise<void> {
    this.assertRunning();
    await nft(this.namespaces.far, 'flush chain inet t3lab input');
  }

  /** The rules now in force, as `nft` lists them (for test diagnostics). */
  async rules(): Promise<string> {
    const { stdout } = await run(
      'ip',
      ['netns', 'exec', this.namespaces.far, 'nft', 'list', 'chain', 'inet', 't3lab', 'input'],
      {
        timeout: COMMAND_TIMEOUT_MS,
      }
    );
    return stdout;
  }

  /** Process ids of the four relays (for leak checks). */
  pids(): number[] {
    return this.children.filter((c) => c.alive()).map((c) => c.pid);
  }

  /** Kills the relays, deletes both namespaces and the socket directory. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    await teardown(this.children, this.namespaces, this.dir);
  }

  private assertRunning(): void {
    if (this.stopped) {
      throw new Error('the netns hop has been stopped');
    }
  }
}

async function teardown(children: LabChild[], ns: { near: string; far: string }, dir: string): Promise<void> {
  const errors: string[] = [];
  await Promise.all(children.map((c) => c.kill().catch((e: Error) => errors.push(e.message))));
  for (const name of [ns.near, ns.far]) {
    if (!liveNamespaces.has(name)) {
      continue;
    }
    try {
      await ip('netns', 'del', name);
      liveNamespaces.delete(name);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (errors.length) {
    throw new Error(`netns cleanup: ${errors.join('; ')}`);
  }
}

async function ip(...args: string[]): Promise<void> {
  try {
    await run('ip', args, { timeout: COMMAND_TIMEOUT_MS });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`ip ${args.join(' ')} failed: ${stderr || (err as Error).message}`);
  }
}

async function nft(netns: string, command: string): Promise<void> {
  try {
    await run('ip', ['netns', 'exec', netns, 'nft', command], { timeout: COMMAND_TIMEOUT_MS });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`nft ${command} (in ${netns}) failed: ${stderr || (err as Error).message}`);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Namespaces outlive processes, so the test process deletes its own on the way out, whatever the cause. */
function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const name of liveNamespaces) {
      try {
        execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS });
      } catch {
        // Best effort on the way out; sweep() removes what is left on the next run.
      }
    }
  });
}

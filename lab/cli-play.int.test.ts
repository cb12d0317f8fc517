// The lab CLI as the compose demo runs it: fixed ports from --base-port, no stdin, and a scenario played
// by --play whose fault really reaches a client on the cloudflare leg while the internal leg stays up.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './child';
import { canListen, freeRange } from './free-ports';
import { fixedPorts, PORT_SPAN } from './lab';
import { closed, openWs, pingRtt, t3Url } from './test-client';
import { withTimeout } from './wait';

const GAP_MS = 3_000;
let cli: ChildProcess | undefined;

afterEach(() => {
  if (cli?.pid !== undefined && cli.exitCode === null && cli.signalCode === null) {
    try {
      process.kill(-cli.pid, 'SIGKILL'); // its own group; the lab's processes exit when its pipes close
    } catch {
      // it exited in the meantime
    }
  }
  cli = undefined;
});

/** Starts the CLI with stdin closed; `next(event)` waits for the next stdout JSON line of that event. */
function startCli(args: string[]) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'lab/cli.ts', ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cli = proc;
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  // 'close', not 'exit': by then stderr has been read to the end.
  const exited = new Promise<number | null>((resolve) => proc.once('close', resolve));
  const next = async (event: string, ms: number): Promise<Record<string, unknown>> => {
    for (let i = 0; i < 20; i++) {
      const line = await withTimeout(lines.next(), ms, `"${event}" line (stderr: ${stderr})`);
      if (line.done) {
        throw new Error(`cli output ended before "${event}" (stderr: ${stderr})`);
      }
      const msg = JSON.parse(line.value) as Record<string, unknown>;
      if (msg.event === event) {
        return msg;
      }
    }
    throw new Error(`no "${event}" line in 20 lines`);
  };
  return { proc, next, exited, stderr: () => stderr };
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => resolve(!!s.destroy()));
    s.once('error', () => resolve(false));
  });
}

describe('lab CLI --base-port --play', () => {
  it('listens on the fixed ports, plays tunnel-restart once with stdin closed, and stops cleanly', async () => {
    const base = await freeRange(PORT_SPAN);
    const { proc, next, exited } = startCli([
      ...['--host', '127.0.0.1', '--base-port', String(base)],
      ...['--play', 'tunnel-restart', '--gap-ms', String(GAP_MS)],
    ]);
    const ready = await next('ready', 30_000);
    expect(ready.ports).toEqual(fixedPorts(base));
    expect(ready.legUrls).toMatchObject({ cloudflare: `ws://127.0.0.1:${base}/ws` });
    for (const port of Object.values(fixedPorts(base))) {
      expect(await connects(port)).toBe(true);
    }

    // Both WebSocket legs are up before the scenario's gap ends.
    const cloudflare = await openWs(t3Url(`ws://127.0.0.1:${base}/ws`), 2_000);
    const internal = await openWs(t3Url(`ws://127.0.0.1:${base + 3}/ws`), 2_000);
    try {
      await pingRtt(cloudflare, 1_500);
      await pingRtt(internal, 1_500);
      const start = await next('scenario-start', GAP_MS + 5_000);
      expect(start).toMatchObject({ scenario: 'tunnel-restart', round: 1 });

      // The tunnel hop is killed: the cloudflare client sees its connection drop and cannot open a new one,
      // the internal one stays up. (Not a TCP probe of the tunnel's port: it lies in the ephemeral range, so
      // a connect to it can succeed after the kill through another listener or a loopback self-connect.)
      expect(await closed(cloudflare, 3_000)).toBe(1006);
      await expect(openWs(t3Url(`ws://127.0.0.1:${base}/ws`), 1_000)).rejects.toThrow();
      await pingRtt(internal, 1_500);

      const end = await next('scenario-end', 15_000);
      expect(end).toMatchObject({ scenario: 'tunnel-restart', ok: true });
      // Restarted on the same port: the cloudflare leg works again.
      expect(await connects(base + 2)).toBe(true);
      const again = await openWs(t3Url(`ws://127.0.0.1:${base}/ws`), 2_000);
      await pingRtt(again, 1_500);
      again.terminate();
      await pingRtt(internal, 1_500);
    } finally {
      cloudflare.terminate();
      internal.terminate();
    }

    expect(proc.exitCode).toBeNull(); // played once, and still serving
    process.kill(proc.pid!, 'SIGTERM');
    expect(await withTimeout(exited, 10_000, 'cli exit')).toBe(0);
    for (const port of Object.values(fixedPorts(base))) {
      expect(await canListen(port)).toBe(true);
    }
  });

  it('exits with an error naming the segment when a fixed port is taken', async () => {
    const base = await freeRange(PORT_SPAN);
    const squatter = net.createServer().listen(base + 3, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    try {
      const { exited, stderr } = startCli(['--base-port', String(base)]);
      expect(await withTimeout(exited, 30_000, 'cli exit')).toBe(2);
      expect(stderr()).toContain('traefik');
      expect(stderr()).toContain(`EADDRINUSE: address already in use 127.0.0.1:${base + 3}`);
      // The segments it had started (serve, devvm-net, dispatch) are gone again.
      for (const port of [base + 4, base + 5, base + 6]) {
        expect(await canListen(port)).toBe(true);
      }
    } finally {
      squatter.close();
    }
  });

  it('rejects a bad flag value, naming the flag', async () => {
    const { exited, stderr } = startCli(['--base-port', '65534']);
    expect(await withTimeout(exited, 20_000, 'cli exit')).toBe(2);
    expect(stderr()).toContain('--base-port must be an integer from 1 to 65529');
  });
});

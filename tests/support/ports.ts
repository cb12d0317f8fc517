/**
 * Ports for tests that cannot take port 0: a port that must refuse connections, and fixed port ranges
 * (the compose demo's). Both are chosen so that other tests running at the same time cannot collide.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { freeRange } from '../../lab/free-ports';

/** The kernel's range for port 0 (`listen(0)`, outgoing connections); Linux's default when unknown. */
function ephemeralRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low! > 1024) {
      return { low: low!, high: high! };
    }
  } catch {
    // not Linux: the default below
  }
  return { low: 32768, high: 60999 };
}

/** Whether a TCP connect to host:port is refused (nothing listens there). */
function isRefused(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.setTimeout(2_000, () => s.destroy(new Error('timeout')));
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/**
 * A loopback port that refuses connections and stays so: below the ephemeral range, so no `listen(0)`
 * of a concurrent test can be given it (a port picked with `listen(0)` and released can be handed to the
 * next one at once), and checked to be refused now. Tests never bind fixed ports of their own.
 */
export async function refusedPort(host = '127.0.0.1', tries = 20): Promise<number> {
  const { low } = ephemeralRange();
  const from = Math.max(1025, low - 2_000);
  for (let i = 0; i < tries; i++) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (await isRefused(port, host)) {
      return port;
    }
  }
  throw new Error(`no refused port below ${low} on ${host} in ${tries} tries`);
}

/**
 * Runs `start` on a range of `span` consecutive free ports (for a program that listens on fixed ports
 * from a base). The range is free when chosen but may be taken before `start` binds it: when `start`
 * fails with EADDRINUSE, another range is tried, `tries` times in all; any other error is thrown at once.
 */
export async function onFreeRange<T>(span: number, start: (base: number) => Promise<T>, tries = 5): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await start(await freeRange(span));
    } catch (err) {
      if (!/EADDRINUSE/.test(String(err instanceof Error ? err.message : err))) {
        throw err;
      }
      last = err;
    }
  }
  throw new Error(`no free range of ${span} ports stayed free until bound (${tries} tries): ${String(last)}`);
}

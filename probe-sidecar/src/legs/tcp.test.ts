import { spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpLeg } from './tcp.js';
import type { TcpLegConfig } from './tcp-config.js';
import { disconnects, reconnects, recorder, steadyClock } from './testing.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

/** A listener on a free port; `accepted` counts connections, `closed` those the leg closed again. */
async function listener(port = 0) {
  const counts = { accepted: 0, closed: 0 };
  const server = net.createServer((s) => {
    counts.accepted++;
    s.on('error', () => undefined);
    s.once('end', () => counts.closed++);
    s.resume();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { port: (server.address() as AddressInfo).port, counts, server };
}

/** A port nothing listens on (listened on, then closed). */
async function closedPort(): Promise<number> {
  const { port, server } = await listener();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * A listener whose process is stopped (SIGSTOP) after `fill` connections: the kernel still completes
 * handshakes into its accept queue (backlog 1: two fit), then drops SYNs, as a black hole does.
 */
async function stoppedListener(fill: number): Promise<number> {
  const script = `require('net').createServer().listen({host:'127.0.0.1',port:0,backlog:1},function(){console.log(this.address().port)})`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => void child.kill('SIGKILL'));
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d)))));
  child.kill('SIGSTOP');
  for (let i = 0; i < fill; i++) {
    const s = net.connect(port, '127.0.0.1');
    cleanups.push(() => void s.destroy());
    await new Promise((resolve, reject) => s.once('connect', resolve).once('error', reject));
  }
  return port;
}

function leg(port: number, host = '127.0.0.1', over: Partial<TcpLegConfig> = {}) {
  const rec = recorder();
  const l = new TcpLeg(
    {
      name: 'traefik',
      type: 'tcp',
      url: `tcp://${host}:${port}`,
      host,
      port,
      segments: ['traefik'],
      intervalMs: 100,
      timeoutMs: 300,
      headers: {},
      ...over,
    },
    steadyClock,
    rec.hooks
  );
  cleanups.push(() => l.stop());
  return { leg: l, ...rec };
}

describe('TcpLeg', () => {
  it('connects and closes on cadence: connected, connect latency as RTT, every connection closed again', async () => {
    const { port, counts } = await listener();
    const { leg: l, seen, waitFor } = leg(port);
    l.start();
    await waitFor((x) => x.filter((e) => e.kind === 'rtt').length >= 3);
    expect(seen[0]).toEqual({ kind: 'connected', up: true });
    expect(disconnects(seen)).toEqual([]);
    expect(l.state()).toMatchObject({ type: 'tcp', connected: true, segments: ['traefik'] });
    await l.stop();
    // The leg leaves nothing open: the listener saw each connection end.
    const deadline = Date.now() + 2_000;
    while (counts.closed < counts.accepted && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(counts.accepted).toBeGreaterThanOrEqual(3);
    expect(counts.closed).toBe(counts.accepted);
  });

  it('a refused port is `refused` once, and a listener back on it a reconnect', async () => {
    const port = await closedPort();
    const { leg: l, seen, waitFor } = leg(port);
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(seen)[0]!.reason).toBe('refused');
    await listener(port);
    await waitFor((x) => reconnects(x).length === 1);
    expect(disconnects(seen)).toHaveLength(1);
    expect(reconnects(seen)[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(l.isConnected()).toBe(true);
  });

  it('a connect that does not complete (the SYN dropped) fails as handshake_timeout after the timeout', async () => {
    const port = await stoppedListener(2);
    const { leg: l, seen, waitFor } = leg(port);
    const started = Date.now();
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(seen)[0]!.reason).toBe('handshake_timeout');
    expect(disconnects(seen)[0]!.detail).toMatch(/not connected within 300 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a stopped process with room in its accept queue still connects: the leg proves the listener, not the process', async () => {
    const port = await stoppedListener(0);
    const { leg: l, seen, waitFor } = leg(port);
    l.start();
    await waitFor((x) => x.some((e) => e.kind === 'rtt'));
    expect(disconnects(seen)).toEqual([]);
  });

  it('a host that does not resolve is `dns`', async () => {
    const { leg: l, seen, waitFor } = leg(9, 'no-such-host.invalid');
    l.start();
    await waitFor((x) => disconnects(x).length === 1);
    expect(disconnects(seen)[0]!.reason).toBe('dns');
  });

  it('a cross-check is one extra connect: its latency while up, null once the port refuses', async () => {
    const { port, server } = await listener();
    const { leg: l, waitFor } = leg(port, '127.0.0.1', { intervalMs: 60_000 });
    expect(await l.crossCheck()).toBeNull();
    l.start();
    await waitFor((x) => x.some((e) => e.kind === 'connected' && e.up));
    expect(await l.crossCheck()).toEqual(expect.any(Number));
    await new Promise((r) => server.close(r));
    expect(await l.crossCheck()).toBeNull();
  });
});

// nftables faults inside network namespaces the test creates itself. Skipped, with the reason in the
// suite name, where namespaces or nftables are unavailable (not root, no `ip`/`nft`, no kernel support).
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { REPO_ROOT } from './child';
import { Lab } from './lab';
import { NetnsHop } from './netns';
import { startStandin, type Standin } from './t3-standin';
import { closed, nextMessage, openWs, pingRtt, processRunning, t3Url } from './test-client';

const availability = await NetnsHop.available();
const title = availability.ok ? 'netns faults' : `netns faults (skipped: ${availability.reason})`;

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`t3lab-${process.pid}-`));
}

function vethRxBytes(ns: string): number {
  const links = JSON.parse(
    execFileSync('ip', ['-n', ns, '-s', '-j', 'link', 'show', 'type', 'veth'], { encoding: 'utf8' })
  ) as Array<{
    stats64: { rx: { bytes: number } };
  }>;
  return links[0]?.stats64.rx.bytes ?? NaN;
}

describe.skipIf(!availability.ok)(title, () => {
  let standin: Standin;
  let hop: NetnsHop | undefined;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    standin = await startStandin();
  });
  afterAll(async () => {
    await standin?.close();
  });
  afterEach(async () => {
    for (const ws of sockets.splice(0)) {
      ws.terminate();
    }
    await hop?.stop();
    hop = undefined;
    expect(namespaces()).toEqual([]);
  });

  async function start(): Promise<NetnsHop> {
    hop = await NetnsHop.start({ target: { host: '127.0.0.1', port: standin.port } });
    return hop;
  }

  async function open(h: NetnsHop): Promise<WebSocket> {
    const ws = await openWs(t3Url(`ws://127.0.0.1:${h.port}/ws`), 3_000);
    sockets.push(ws);
    return ws;
  }

  it('carries traffic across the veth between the two namespaces', async () => {
    const h = await start();
    expect(namespaces().sort()).toEqual([h.namespaces.far, h.namespaces.near].sort());
    const before = vethRxBytes(h.namespaces.far);
    await pingRtt(await open(h), 2_000);
    expect(vethRxBytes(h.namespaces.far)).toBeGreaterThan(before);
  });

  it('drop: pings vanish while the connection stays open; unblock lets the retransmission through', async () => {
    const h = await start();
    const ws = await open(h);
    await pingRtt(ws, 2_000);
    const seen = standin.state().counters.pingsSeen;
    await h.block('drop');
    expect(await h.rules()).toContain(`tcp dport ${h.farPort} drop`);
    ws.send('{"_tag":"Ping"}');
    await expect(nextMessage(ws, 1_500)).rejects.toThrow('no result');
    expect(ws.readyState).toBe(ws.OPEN);
    expect(standin.state().counters.pingsSeen).toBe(seen);
    const pong = nextMessage(ws, 8_000);
    await h.unblock();
    expect(await pong).toEqual({ _tag: 'Pong' });
  });

  it('reject: the connection is reset and new ones fail until unblock', async () => {
    const h = await start();
    const ws = await open(h);
    await h.block('reject');
    ws.send('{"_tag":"Ping"}');
    expect(await closed(ws, 3_000)).toBe(1006);
    await expect(openWs(t3Url(`ws://127.0.0.1:${h.port}/ws`), 2_000)).rejects.toThrow();
    await h.unblock();
    expect(await h.rules()).not.toContain('reject');
    await pingRtt(await open(h), 2_000);
  });

  it('rejects an unknown block mode by name', async () => {
    const h = await start();
    await expect(h.block('blackhole' as never)).rejects.toThrow(
      'block: mode must be "drop" or "reject", got "blackhole"'
    );
  });

  it('stop() kills the relays and deletes both namespaces; it is safe twice', async () => {
    const h = await start();
    const pids = h.pids();
    expect(pids).toHaveLength(4);
    await h.stop();
    expect(pids.filter(processRunning)).toEqual([]);
    expect(namespaces()).toEqual([]);
    await h.stop();
    await expect(h.block('drop')).rejects.toThrow('the netns hop has been stopped');
  });

  it('cleans up when start fails half-way', async () => {
    await expect(
      NetnsHop.start({ target: { host: '127.0.0.1', port: standin.port }, readyTimeoutMs: 1 })
    ).rejects.toThrow('not ready within 1ms');
    expect(namespaces()).toEqual([]);
  });

  it('sweep() deletes namespaces left by a dead process, and only those', async () => {
    const dead = 4_000_000; // above pid_max's default ceiling: never a live process
    const stale = `t3lab-${dead}-1-near`;
    execFileSync('ip', ['netns', 'add', stale]);
    try {
      const h = await start();
      expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(stale);
      expect(namespaces()).toContain(h.namespaces.far);
    } finally {
      execFileSync('bash', ['-c', `ip netns del ${stale} 2>/dev/null || true`]);
    }
  });

  it('runs one lab segment in the namespaces: nft faults hit exactly the legs through it', async () => {
    const lab = await Lab.start({ netns: 'tunnel' });
    try {
      const cf = await openWs(lab.clientUrl('cloudflare'), 3_000);
      const internal = await openWs(lab.clientUrl('internal'), 3_000);
      sockets.push(cf, internal);
      await pingRtt(cf, 2_000);
      expect(namespaces()).toHaveLength(2);
      expect(lab.pids()).toHaveLength(10); // 6 own processes + 4 relays of the namespaced tunnel

      await lab.block('tunnel', 'drop');
      cf.send('{"_tag":"Ping"}');
      await expect(nextMessage(cf, 1_000)).rejects.toThrow('no result');
      await pingRtt(internal, 2_000); // the tunnel is not on the internal leg
      const held = nextMessage(cf, 8_000);
      await lab.unblock('tunnel');
      expect(await held).toEqual({ _tag: 'Pong' });

      await lab.block('tunnel', 'reject');
      cf.send('{"_tag":"Ping"}');
      expect(await closed(cf, 3_000)).toBe(1006);
      await lab.unblock('tunnel');

      lab.freeze('tunnel'); // signals reach the hop inside the far namespace
      await expect(openWs(lab.clientUrl('cloudflare'), 800)).rejects.toThrow();
      await lab.restart('tunnel');
      await pingRtt(await openWs(lab.clientUrl('cloudflare'), 3_000).then((ws) => (sockets.push(ws), ws)), 2_000);
      await expect(lab.block('wan', 'drop')).rejects.toThrow('segment "wan" does not run in a network namespace');
    } finally {
      await lab.stop();
    }
    expect(namespaces()).toEqual([]);
  });
});

describe.skipIf(process.getuid?.() !== 0)('netns availability', () => {
  it('explains why namespaces are unavailable to a non-root user', () => {
    const script = `const { NetnsHop } = await import('./lab/netns.ts');
      console.log(JSON.stringify(await NetnsHop.available()));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      uid: 65534,
      gid: 65534,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(JSON.parse(out)).toEqual({ ok: false, reason: 'network namespaces need root' });
  });
});

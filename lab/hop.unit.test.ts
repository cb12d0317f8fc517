// The relay in-process, against real sockets on 127.0.0.1 and a unix socket.
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from './hop';
import { withTimeout, waitFor } from './wait';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

/** A TCP server whose connections the test drives by hand. */
async function upstream(): Promise<{ port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) {
      s.destroy();
    }
    return new Promise((r) => server.close(r));
  });
  return { port: (server.address() as net.AddressInfo).port, sockets };
}

async function relay(targetPort: number): Promise<Relay> {
  const r = await startRelay({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: targetPort });
  cleanups.push(() => r.close());
  return r;
}

async function connect(port: number): Promise<net.Socket> {
  const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  cleanups.push(() => s.destroy());
  await withTimeout(new Promise((r) => s.once('connect', r)), 2_000, 'connect');
  return s;
}

function read(s: net.Socket, bytes: number): Promise<string> {
  let buf = '';
  return withTimeout(
    new Promise<string>((resolve) => {
      const on = (d: Buffer) => {
        buf += d.toString();
        if (buf.length >= bytes) {
          s.off('data', on);
          resolve(buf);
        }
      };
      s.on('data', on);
    }),
    2_000,
    `read ${bytes} bytes`
  );
}

/** The error code a socket ends with ('' for a clean close). */
function ending(s: net.Socket): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve) => {
      let code = '';
      s.on('error', (e: NodeJS.ErrnoException) => (code = e.code ?? 'error'));
      s.once('close', () => resolve(code));
    }),
    2_000,
    'socket close'
  );
}

describe('hop relay', () => {
  it('forwards bytes both ways and counts the connection', async () => {
    const up = await upstream();
    const r = await relay(up.port);
    const client = await connect(r.port);
    client.write('hello');
    await waitFor(() => up.sockets[0], { timeoutMs: 2_000, what: 'upstream connection' });
    expect(await read(up.sockets[0]!, 5)).toBe('hello');
    up.sockets[0]!.write('world');
    expect(await read(client, 5)).toBe('world');
    expect(r.connections()).toBe(1);
    expect(r.listen).toBe(`127.0.0.1:${r.port}`);
  });

  it('passes a half-close on and keeps the other direction open', async () => {
    const up = await upstream();
    const r = await relay(up.port);
    const client = await connect(r.port);
    await waitFor(() => up.sockets[0], { timeoutMs: 2_000, what: 'upstream connection' });
    const server = up.sockets[0]!;
    const serverSawEnd = withTimeout(new Promise((res) => server.once('end', res)), 2_000, 'server end');
    client.end();
    await serverSawEnd;
    server.write('late reply');
    expect(await read(client, 10)).toBe('late reply');
  });

  it('resets the client when the target refuses', async () => {
    const up = await upstream();
    const deadPort = up.port;
    await cleanups.pop()!(); // close the server: its port now refuses
    const r = await relay(deadPort);
    const client = net.connect({ host: '127.0.0.1', port: r.port });
    cleanups.push(() => client.destroy());
    expect(await ending(client)).toBe('ECONNRESET');
  });

  it('passes an upstream reset on as a reset', async () => {
    const up = await upstream();
    const r = await relay(up.port);
    const client = await connect(r.port);
    const end = ending(client);
    await waitFor(() => up.sockets[0], { timeoutMs: 2_000, what: 'upstream connection' });
    up.sockets[0]!.resetAndDestroy();
    expect(await end).toBe('ECONNRESET');
    await waitFor(() => r.connections() === 0, { timeoutMs: 2_000, what: 'pair forgotten' });
  });

  it('passes a clean upstream close on as a clean close', async () => {
    const up = await upstream();
    const r = await relay(up.port);
    const client = await connect(r.port);
    const end = ending(client);
    client.on('end', () => client.end());
    await waitFor(() => up.sockets[0], { timeoutMs: 2_000, what: 'upstream connection' });
    up.sockets[0]!.end();
    expect(await end).toBe('');
  });

  it('listens on a unix socket, replacing a stale socket file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hop-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'in.sock');
    const up = await upstream();
    writeFileSync(path, ''); // what a SIGKILLed relay leaves behind: a file in the way of bind()
    const r = await startRelay({ path }, { host: '127.0.0.1', port: up.port });
    cleanups.push(() => r.close());
    expect(r.listen).toBe(`unix:${path}`);
    const client = net.connect({ path });
    cleanups.push(() => client.destroy());
    client.write('via unix');
    await waitFor(() => up.sockets[0], { timeoutMs: 2_000, what: 'upstream connection' });
    expect(await read(up.sockets[0]!, 8)).toBe('via unix');
  });

  it('closes a unix-socket client when the upstream resets, and keeps serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hop-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'in.sock');
    const up = await upstream();
    const r = await startRelay({ path }, { host: '127.0.0.1', port: up.port });
    cleanups.push(() => r.close());
    for (const round of [0, 1]) {
      const client = net.connect({ path });
      cleanups.push(() => client.destroy());
      const end = ending(client);
      await waitFor(() => up.sockets[round], { timeoutMs: 2_000, what: `upstream connection ${round}` });
      up.sockets[round]!.resetAndDestroy();
      expect(await end).toBe(''); // no RST on a unix socket: a plain close
    }
  });
});

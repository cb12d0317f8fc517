// Dispatch's choice of instance: the parser, then the relay with routes against real sockets on 127.0.0.1.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay } from './hop';
import { formatRoutes, MAX_REQUEST_HEAD, parseRoutes, routeOf } from './route';
import { waitFor, withTimeout } from './wait';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

const users = new Set(['alice', 'bob']);
const line = (s: string): Buffer => Buffer.from(s, 'latin1');

const where = (head: string) => {
  const r = routeOf(line(head), users);
  return r === null ? null : { user: r.user, unknown: r.unknown };
};

describe('routeOf', () => {
  it('routes on the first request’s `user` query parameter', () => {
    expect(where('GET /ws?orchestrationProtocol=2&user=alice HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual({ user: 'alice' });
    expect(where('GET /.well-known/t3/environment?user=bob HTTP/1.1\r\n\r\n')).toEqual({ user: 'bob' });
  });

  it('sends a request without a user, or anything not HTTP, to the default target', () => {
    expect(where('GET /ws?orchestrationProtocol=2 HTTP/1.1\r\n\r\n')).toEqual({});
    expect(where('GET /ws?user= HTTP/1.1\r\n\r\n')).toEqual({});
    expect(where('\x16\x03\x01 binary\r\n\r\n')).toEqual({});
    expect(routeOf(Buffer.alloc(MAX_REQUEST_HEAD, 'a'), users)).toEqual({ head: Buffer.alloc(MAX_REQUEST_HEAD, 'a') });
  });

  it('waits for a whole request head, and names a user it has no instance for', () => {
    expect(where('GET /ws?user=alice HTTP/1.1\r\nHost: x\r\n')).toBeNull();
    expect(where('GET /ws?user=dave HTTP/1.1\r\n\r\n')).toEqual({ unknown: 'dave' });
  });

  it('closes a plain request’s connection after its answer, keeping what follows; an upgrade goes as it came', () => {
    const plain = 'GET /x?user=bob HTTP/1.1\r\nHost: x\r\nconnection: keep-alive\r\n\r\nbody';
    expect(routeOf(line(plain), users)?.head.toString('latin1')).toBe(
      'GET /x?user=bob HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nbody'
    );
    const upgrade = 'GET /ws?user=bob HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n';
    expect(routeOf(line(upgrade), users)?.head.toString('latin1')).toBe(upgrade);
  });
});

describe('parseRoutes', () => {
  it('reads user=host:port items and writes them back', () => {
    const routes = parseRoutes('alice=127.0.0.1:4001,bob=127.0.0.1:4002', '--routes');
    expect([...routes]).toEqual([
      ['alice', '127.0.0.1:4001'],
      ['bob', '127.0.0.1:4002'],
    ]);
    expect(formatRoutes(routes)).toBe('alice=127.0.0.1:4001,bob=127.0.0.1:4002');
    expect(parseRoutes('', '--routes').size).toBe(0);
  });

  it.each(['alice', '=127.0.0.1:1', 'alice=', 'alice=127.0.0.1:1,alice=127.0.0.1:2'])('rejects %j', (s) => {
    expect(() => parseRoutes(s, '--routes')).toThrow('--routes: expected user=host:port');
  });
});

/** A server that records the first bytes of each connection and answers with its own name. */
async function instance(name: string): Promise<{ port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = net.createServer((s) => {
    s.once('data', (d: Buffer) => {
      seen.push(d.toString('latin1'));
      s.end(name);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { port: (server.address() as net.AddressInfo).port, seen };
}

/** Sends `chunks` (one write each, the request head split across them) and reads the answer to the end. */
function exchange(port: number, chunks: string[]): Promise<string> {
  const s = net.connect({ host: '127.0.0.1', port });
  cleanups.push(() => s.destroy());
  let answer = '';
  s.on('data', (d: Buffer) => (answer += d.toString()));
  for (const c of chunks) {
    s.write(c);
  }
  return withTimeout(new Promise<string>((r) => s.once('close', () => r(answer))), 2_000, 'answer');
}

describe('a relay with routes', () => {
  async function dispatch() {
    const [shared, alice, bob] = await Promise.all([instance('shared'), instance('alice'), instance('bob')]);
    const at = (port: number) => ({ host: '127.0.0.1', port });
    const relay = await startRelay(
      at(0),
      at(shared.port),
      new Map([
        ['alice', at(alice.port)],
        ['bob', at(bob.port)],
      ])
    );
    cleanups.push(() => relay.close());
    return { relay, shared, alice, bob };
  }

  it("sends each user's connection to their own instance, the rest to the shared one, the request intact", async () => {
    const { relay, shared, alice, bob } = await dispatch();
    expect(await exchange(relay.port, ['GET /ws?us', 'er=alice HTTP/1.1\r\nHost: x\r\n\r\n'])).toBe('alice');
    expect(await exchange(relay.port, ['GET /.well-known/t3/environment?user=bob HTTP/1.1\r\n\r\n'])).toBe('bob');
    expect(await exchange(relay.port, ['GET /ws HTTP/1.1\r\n\r\n'])).toBe('shared');
    await waitFor(() => alice.seen.length + bob.seen.length + shared.seen.length === 3, {
      timeoutMs: 2_000,
      what: 'three requests seen',
    });
    expect(alice.seen).toEqual(['GET /ws?user=alice HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    expect(bob.seen).toHaveLength(1);
    expect(shared.seen).toEqual(['GET /ws HTTP/1.1\r\nConnection: close\r\n\r\n']);
  });

  it('answers 404 for a user without an instance and sends it nowhere', async () => {
    const { relay, shared, alice, bob } = await dispatch();
    const answer = await exchange(relay.port, ['GET /ws?user=dave HTTP/1.1\r\n\r\n']);
    expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(answer).toContain('no serve instance for user \\"dave\\"');
    expect([...shared.seen, ...alice.seen, ...bob.seen]).toEqual([]);
  });

  it('passes a connection that closes before a request line to the shared instance', async () => {
    const { relay, shared } = await dispatch();
    const s = net.connect({ host: '127.0.0.1', port: relay.port });
    cleanups.push(() => s.destroy());
    s.end('partial');
    await waitFor(() => shared.seen.length === 1, { timeoutMs: 2_000, what: 'shared instance reached' });
    expect(shared.seen).toEqual(['partial']);
  });
});

// The cf-edge hop's own answer to /cdn-cgi/trace, in-process against real sockets: answered without the
// upstream (so a tunnel fault leaves it answering), every other connection relayed with its bytes intact.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerTraceOrRelay, routeOf, traceBody } from './edge-trace';
import { withTimeout } from './wait';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

/** A front that answers traces and hands everything else to `relay` (what the test records). */
async function front(): Promise<{ port: number; relayed: string[] }> {
  const relayed: string[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    answerTraceOrRelay(client, () => {
      // Stands in for the relay: it must get every byte the client sent, the ones already read included.
      let got = '';
      client.on('data', (d: Buffer) => (got += d.toString('latin1')));
      client.once('end', () => {
        relayed.push(got);
        client.end('relayed');
      });
      // A relay's pipe resumes the paused stream; this stand-in does it by hand.
      client.resume();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    open.forEach((s) => s.destroy());
    return new Promise((r) => server.close(r));
  });
  return { port: (server.address() as net.AddressInfo).port, relayed };
}

/** Sends `chunks` one write at a time, half-closes, and reads the whole answer. */
function exchange(port: number, chunks: string[]): Promise<string> {
  const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  cleanups.push(() => s.destroy());
  let got = '';
  s.on('data', (d: Buffer) => (got += d.toString()));
  s.once('connect', () => {
    for (const c of chunks) {
      s.write(c);
    }
    s.end();
  });
  return withTimeout(new Promise<string>((r) => s.once('close', () => r(got))), 2_000, 'answer');
}

describe('routeOf', () => {
  it('tells a trace request from anything else as soon as the bytes allow', () => {
    expect(routeOf(Buffer.from('GET /cdn-cgi/trace HTTP/1.1\r\n'))).toBe('trace');
    expect(routeOf(Buffer.from('GET /cdn-cgi/trace?x=1 HTTP/1.1'))).toBe('trace');
    expect(routeOf(Buffer.from('GET /cdn'))).toBe('undecided');
    expect(routeOf(Buffer.from('GET /cdn-cgi/trace'))).toBe('undecided');
    expect(routeOf(Buffer.from('GET /cdn-cgi/traces HTTP/1.1'))).toBe('relay');
    expect(routeOf(Buffer.from('GET /ws?orchestrationProtocol=2 HTTP/1.1'))).toBe('relay');
    expect(routeOf(Buffer.from('POST /cdn-cgi/trace HTTP/1.1'))).toBe('relay');
    expect(routeOf(Buffer.from([0x16, 0x03, 0x01]))).toBe('relay');
  });

  it("writes Cloudflare's key=value lines, with the visitor's host and agent", () => {
    const head = 'GET /cdn-cgi/trace HTTP/1.1\r\nHost: t3.example.com\r\nUser-Agent: t3-probe/1\r\n\r\n';
    const body = traceBody(head, '127.0.0.1', 1_733_112_000_123);
    expect(body.split('\n')).toEqual(
      expect.arrayContaining(['h=t3.example.com', 'ip=127.0.0.1', 'ts=1733112000.123', 'uag=t3-probe/1'])
    );
    expect(
      body
        .trimEnd()
        .split('\n')
        .every((line) => /^[a-z_]+=[^\n]*$/.test(line))
    ).toBe(true);
  });
});

describe('answerTraceOrRelay', () => {
  it('answers a trace request itself, split over several writes, and never relays it', async () => {
    const { port, relayed } = await front();
    const answer = await exchange(port, ['GET /cdn-cgi/tr', 'ace HTTP/1.1\r\nHost: lab\r\n', '\r\n']);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toMatch(/\r\nContent-Type: text\/plain\r\n/);
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    expect(Number(/Content-Length: (\d+)/.exec(answer)?.[1])).toBe(Buffer.byteLength(body));
    expect(body).toContain('h=lab\n');
    expect(relayed).toEqual([]);
  });

  it('relays anything else with every byte, the ones read to decide included', async () => {
    const { port, relayed } = await front();
    const request = 'GET /ws?orchestrationProtocol=2 HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\n\r\n';
    expect(await exchange(port, ['GE', request.slice(2)])).toBe('relayed');
    expect(await exchange(port, ['GET /cdn-cgi/traces HTTP/1.1\r\n\r\n'])).toBe('relayed');
    expect(relayed).toEqual([request, 'GET /cdn-cgi/traces HTTP/1.1\r\n\r\n']);
  });

  it('closes a connection that ends before it can be told apart, without relaying it', async () => {
    const { port, relayed } = await front();
    expect(await exchange(port, [])).toBe('');
    expect(await exchange(port, ['GET /cdn'])).toBe('');
    expect(relayed).toEqual([]);
  });
});

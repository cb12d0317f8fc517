/**
 * Cloudflare's edge answers `GET /cdn-cgi/trace` itself, on every proxied host, without asking the origin:
 * plain `key=value` lines about the visitor and the edge. The lab's cf-edge hop does the same (hop.ts
 * `--answers cdn-cgi-trace`), so a probe leg to it crosses wan and cf-edge only and stays healthy through a
 * tunnel fault. Every other connection is relayed untouched once its first bytes show it is not a trace.
 */
import type net from 'node:net';

const TRACE = Buffer.from('GET /cdn-cgi/trace');
/** A request head longer than this is not a trace request worth answering. */
const MAX_HEAD_BYTES = 8 * 1024;
const HEAD_END = '\r\n\r\n';

type Route = 'trace' | 'relay' | 'undecided';

/** What the first bytes of a connection say: a trace request, anything else, or too few bytes to tell. */
export function routeOf(head: Buffer): Route {
  const n = Math.min(head.length, TRACE.length);
  if (!head.subarray(0, n).equals(TRACE.subarray(0, n))) {
    return 'relay';
  }
  if (head.length <= TRACE.length) {
    return 'undecided';
  }
  // `/cdn-cgi/trace` exactly, with or without a query: `/cdn-cgi/traces` is the origin's.
  const next = head[TRACE.length];
  return next === 0x20 || next === 0x3f ? 'trace' : 'relay';
}

/** The answer's body, in Cloudflare's format (a subset of its keys). */
export function traceBody(head: string, visitor: string | undefined, nowMs: number): string {
  const header = (name: string): string => new RegExp(`^${name}:[ \\t]*(.*?)[ \\t]*$`, 'im').exec(head)?.[1] ?? '';
  const fields: Array<[string, string]> = [
    ['fl', 'lab'],
    ['h', header('host')],
    ['ip', visitor ?? ''],
    ['ts', (nowMs / 1000).toFixed(3)],
    ['visit_scheme', 'http'],
    ['uag', header('user-agent')],
    ['colo', 'LAB'],
    ['http', 'http/1.1'],
    ['loc', 'XX'],
    ['tls', 'off'],
    ['warp', 'off'],
  ];
  return fields.map(([k, v]) => `${k}=${v}\n`).join('');
}

/**
 * Reads the connection's first bytes: a trace request is answered here and closed; anything else is put
 * back unread and handed to `relay`. A client that closes before it can be told apart is closed too.
 */
export function answerTraceOrRelay(client: net.Socket, relay: () => void): void {
  let head = Buffer.alloc(0);
  let route: Route = 'undecided';
  const done = (): void => {
    client.off('data', onData);
    client.off('end', onEnd);
  };
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    route = route === 'undecided' ? routeOf(head) : route;
    if (route === 'relay') {
      done();
      client.pause();
      client.unshift(head);
      relay();
    } else if (route === 'trace' && head.includes(HEAD_END)) {
      done();
      const body = traceBody(head.toString('latin1'), client.remoteAddress, Date.now());
      client.end(
        `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Connection: close\r\n\r\n${body}`
      );
    } else if (head.length > MAX_HEAD_BYTES) {
      done();
      client.destroy();
    }
  };
  const onEnd = (): void => {
    done();
    client.end();
  };
  client.on('data', onData);
  client.once('end', onEnd);
  client.on('error', () => client.destroy());
}

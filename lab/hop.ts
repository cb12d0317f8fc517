/**
 * One path segment of the lab as its own OS process: a TCP relay from `--listen` to `--target`.
 * Because it is a real process with real sockets, signals make real faults:
 *   SIGSTOP  the kernel keeps accepting and ACKing, nothing is forwarded: a silent black hole with
 *            half-open connections, like a frozen middlebox;
 *   SIGKILL  the kernel closes its sockets (RST where data was unread): every connection through it drops;
 *   restart  a new process on the same port: service recovers (SO_REUSEADDR is Node's default).
 * A reset on one side is passed on as a reset on the other (as a plain close on a unix socket, which has
 * no reset); a FIN as a FIN (half-close preserved).
 *
 * Endpoints are `host:port` or `unix:/path` (unix sockets cross network namespaces; see netns.ts).
 * With `--answers cdn-cgi-trace` (the cf-edge hop) it answers `GET /cdn-cgi/trace` itself, as Cloudflare's
 * edge does, and relays everything else (edge-trace.ts).
 * With `--routes alice=127.0.0.1:4001,…` the relay plays t3-dispatch's choice of instance: a connection
 * whose first request says `?user=alice` goes to alice's instance, any other to `--target` (route.ts).
 * Run: node --import tsx lab/hop.ts --name wan --target 127.0.0.1:4000 [--listen 127.0.0.1:0] [--routes …]
 * Prints `{"event":"ready","name":…,"port":…,"listen":…,"pid":…}` when listening; exits when stdin
 * closes (so it cannot outlive the lab that started it) or on SIGTERM.
 */
import net from 'node:net';
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from './args';
import { answerTraceOrRelay } from './edge-trace';
import { parseRoutes, routeOf, unknownUserResponse } from './route';

type Endpoint = { host: string; port: number } | { path: string };

export interface Relay {
  /** The TCP port listened on (0 for a unix socket). */
  port: number;
  listen: string;
  /** Connection pairs currently open. */
  connections(): number;
  close(): Promise<void>;
}

export function parseEndpoint(s: string, what: string): Endpoint {
  if (s.startsWith('unix:')) {
    const path = s.slice(5);
    if (!path.startsWith('/')) {
      throw new Error(`${what}: unix socket path must be absolute, got ${JSON.stringify(s)}`);
    }
    return { path };
  }
  const m = /^(.+):([0-9]{1,5})$/.exec(s);
  const port = Number(m?.[2]);
  if (!m || port > 65535) {
    throw new Error(`${what} must be host:port or unix:/path, got ${JSON.stringify(s)}`);
  }
  return { host: m[1] as string, port };
}

export function formatEndpoint(e: Endpoint): string {
  return 'path' in e ? `unix:${e.path}` : `${e.host}:${e.port}`;
}

/**
 * `routes`: user → that user's instance (see route.ts); without, every connection goes to `target`.
 * `answersTrace`: answer `GET /cdn-cgi/trace` here instead of relaying it, as Cloudflare's edge does.
 */
export async function startRelay(
  listen: Endpoint,
  target: Endpoint,
  routes: ReadonlyMap<string, Endpoint> = new Map(),
  answersTrace = false
): Promise<Relay> {
  const pairs = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    pairs.add(client);
    client.once('close', () => pairs.delete(client));
    if (answersTrace) {
      answerTraceOrRelay(client, () => relayTo(client, target));
    } else if (routes.size === 0) {
      relayTo(client, target);
    } else {
      routeFirstRequest(client, target, routes);
    }
  });
  if ('path' in listen) {
    rmSync(listen.path, { force: true });
  } // a killed predecessor leaves its socket file
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    listen: formatEndpoint('path' in listen ? listen : { host: listen.host, port }),
    connections: () => pairs.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of pairs) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

function relayTo(client: net.Socket, target: Endpoint, head?: Buffer): void {
  const upstream = net.connect({ ...target, allowHalfOpen: true });
  if (head) {
    upstream.write(head);
  }
  join(client, upstream);
  join(upstream, client);
}

/** Reads the first request's head, then relays to the instance it names (route.ts). */
function routeFirstRequest(client: net.Socket, fallback: Endpoint, routes: ReadonlyMap<string, Endpoint>): void {
  const users = new Set(routes.keys());
  let head = Buffer.alloc(0);
  const detach = (): void => {
    client.off('data', onData);
    client.off('end', onEnd);
    client.off('error', onError);
  };
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const route = routeOf(head, users);
    if (route === null) {
      return;
    }
    detach();
    client.pause();
    if (route.unknown !== undefined) {
      client.on('error', () => client.destroy());
      client.end(unknownUserResponse(route.unknown));
      client.resume();
      return;
    }
    relayTo(client, route.user === undefined ? fallback : (routes.get(route.user) as Endpoint), route.head);
  };
  // Closed before a whole request head (a TCP check, say): what came goes to the default target.
  const onEnd = (): void => {
    detach();
    const upstream = net.connect({ ...fallback, allowHalfOpen: true });
    upstream.end(head);
    join(upstream, client);
    client.on('error', () => !upstream.destroyed && reset(upstream));
  };
  const onError = (): void => {
    detach();
    client.destroy();
  };
  client.on('data', onData);
  client.once('end', onEnd);
  client.once('error', onError);
}

/** Forwards `from` → `to`: data and FIN as they come, an error as a reset. */
function join(from: net.Socket, to: net.Socket): void {
  from.pipe(to);
  from.on('error', () => {
    if (!to.destroyed) {
      reset(to);
    }
  });
  from.once('close', (hadError) => {
    if (!hadError && !to.destroyed) {
      to.end();
    }
  });
}

/** A TCP reset; a unix socket has none (resetAndDestroy throws on it), so it is simply closed. */
function reset(socket: net.Socket): void {
  if (socket.remoteAddress === undefined && socket.localAddress === undefined) {
    socket.destroy();
  } else {
    socket.resetAndDestroy();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    name: 'string',
    listen: 'string',
    target: 'string',
    routes: 'string',
    answers: 'string',
  });
  if (typeof args.target !== 'string') {
    throw new Error('--target is required (host:port or unix:/path)');
  }
  if (args.answers !== undefined && args.answers !== 'cdn-cgi-trace') {
    throw new Error(`--answers can only be cdn-cgi-trace, got ${JSON.stringify(args.answers)}`);
  }
  const name = typeof args.name === 'string' ? args.name : 'hop';
  const routes = new Map<string, Endpoint>();
  for (const [user, target] of parseRoutes(typeof args.routes === 'string' ? args.routes : '', '--routes')) {
    routes.set(user, parseEndpoint(target, `--routes ${user}`));
  }
  const relay = await startRelay(
    parseEndpoint(typeof args.listen === 'string' ? args.listen : '127.0.0.1:0', '--listen'),
    parseEndpoint(args.target, '--target'),
    routes,
    args.answers === 'cdn-cgi-trace'
  );
  const stop = (): void => void relay.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.once('end', stop).resume();
  process.stdout.write(
    `${JSON.stringify({ event: 'ready', name, port: relay.port, listen: relay.listen, pid: process.pid })}\n`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`hop: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}

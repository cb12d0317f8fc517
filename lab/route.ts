/**
 * t3-dispatch's choice of instance, for the lab's relay in front of the users' serve instances: the first
 * HTTP request of a connection names the user in its query (`?user=<name>`), and the connection goes to
 * that user's instance; without `user` it goes to the relay's own target (the shared serve). A relay routes
 * connections, not requests, so a plain request (no `Upgrade`) is sent on with `Connection: close`: the
 * instance closes the connection after answering, and a keep-alive client's next request, which may be for
 * another user, comes on a connection of its own. A `user` the relay has no instance for is answered 404
 * and closed, never sent elsewhere.
 */

/** The bytes a relay reads before it routes: a request head longer than this goes to the default target. */
export const MAX_REQUEST_HEAD = 16 * 1024;

/** `alice=127.0.0.1:4001,bob=127.0.0.1:4002` → user → `host:port` (the relay's `--routes`). */
export function parseRoutes(s: string, what: string): Map<string, string> {
  const routes = new Map<string, string>();
  for (const item of s.split(',').filter((x) => x !== '')) {
    const eq = item.indexOf('=');
    const user = item.slice(0, eq);
    if (eq <= 0 || eq === item.length - 1 || routes.has(user)) {
      throw new Error(`${what}: expected user=host:port items, each user once, got ${JSON.stringify(item)}`);
    }
    routes.set(user, item.slice(eq + 1));
  }
  return routes;
}

export function formatRoutes(routes: ReadonlyMap<string, string>): string {
  return [...routes].map(([user, target]) => `${user}=${target}`).join(',');
}

interface Route {
  /** The user whose instance the connection goes to; absent for the default target. */
  user?: string;
  /** A user named in the request who has no instance. */
  unknown?: string;
  /** What to send on: the bytes read so far, a plain request's head with `Connection: close`. */
  head: Buffer;
}

/** Where a connection whose first bytes are `head` goes; null while the request head is still incomplete. */
export function routeOf(head: Buffer, users: ReadonlySet<string>): Route | null {
  const end = head.indexOf('\r\n\r\n');
  if (end < 0) {
    return head.length >= MAX_REQUEST_HEAD ? { head } : null;
  }
  const lines = head.subarray(0, end).toString('latin1').split('\r\n');
  const target = /^[A-Z]+ (\S+) HTTP\/1\.[01]$/.exec(lines[0] ?? '')?.[1];
  if (target === undefined) {
    return { head };
  }
  const sent = closing(lines, head.subarray(end + 4));
  const user = userIn(target);
  if (user === null) {
    return { head: sent };
  }
  return users.has(user) ? { user, head: sent } : { unknown: user, head: sent };
}

function userIn(target: string): string | null {
  try {
    const user = new URL(target, 'http://lab').searchParams.get('user');
    return user === '' ? null : user;
  } catch {
    return null;
  }
}

/** The request head with `Connection: close` (an upgrade is left as it is), then the bytes after it. */
function closing(lines: string[], rest: Buffer): Buffer {
  const name = (line: string): string => line.slice(0, line.indexOf(':')).trim().toLowerCase();
  if (lines.slice(1).some((l) => name(l) === 'upgrade')) {
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), rest]);
  }
  const kept = [lines[0], ...lines.slice(1).filter((l) => name(l) !== 'connection'), 'Connection: close'];
  return Buffer.concat([Buffer.from(`${kept.join('\r\n')}\r\n\r\n`, 'latin1'), rest]);
}

/** The answer to a request for a user the lab has no instance for. */
export function unknownUserResponse(user: string): string {
  const body = `${JSON.stringify({ error: `dispatch: no serve instance for user ${JSON.stringify(user)}` })}\n`;
  return `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

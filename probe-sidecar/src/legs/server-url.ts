// HTTP routes of the t3 server a websocket leg talks to: same host, port and base path as its /ws.

/** ws → http, wss → https; `route` under the base path the /ws URL sits on (`t3 serve --base-path`). */
export function serverUrl(wsUrl: string, route: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  const base = u.pathname.replace(/\/ws\/?$/, '').replace(/\/+$/, '');
  u.pathname = `${base}${route}`;
  u.search = '';
  u.hash = '';
  return u.toString();
}

import { join } from '../config/fields.js';

/**
 * A t3 server answers every unknown path, `/health` included, with 200 and its web app's HTML, whatever
 * its state: a status check there proves nothing about serve. The warning for a leg aimed at it (legs of
 * a type that cannot tell the app from serve call this).
 */
export function healthFallbackWarnings(url: string, path: string): string[] {
  if (!/\/health\/?$/.test(new URL(url).pathname)) {
    return [];
  }
  return [
    `${join(path, 'url')}: ${url} is a t3 server's /health, which answers 200 with HTML whatever the server's state; use /.well-known/t3/environment (http) or /ws with protocol t3`,
  ];
}

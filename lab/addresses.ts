/** Listen and dial addresses of the lab's processes, checked up front so a bad value names its source. */
import { isIP } from 'node:net';

/** The listen address must be an IP literal: a host name could resolve to a different family per process. */
export function checkHost(host: string, what: string): string {
  if (isIP(host) === 0) {
    throw new Error(`${what} must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, got ${JSON.stringify(host)}`);
  }
  return host;
}

/** A base port with `span` ports from it, all valid TCP ports (0 is "any port", so it cannot be fixed). */
export function checkBasePort(port: number, span: number, what: string): number {
  const max = 65536 - span;
  if (!Number.isInteger(port) || port < 1 || port > max) {
    throw new Error(`${what} must be an integer from 1 to ${max} (it and the next ${span - 1} ports), got ${port}`);
  }
  return port;
}

/** Where to connect to reach a process listening on `host`: a wildcard address is reached on loopback. */
export function dialHost(host: string): string {
  if (host === '0.0.0.0') {
    return '127.0.0.1';
  }
  return host === '::' ? '::1' : host;
}

/** `host` as it goes in a URL (IPv6 in brackets). */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

// t3 ticket auth: a fresh single-use ticket before every connect, fetched with the leg's bearer token.
import { readFile } from 'node:fs/promises';
import type { TokenSource } from '../config/types.js';
import type { StallClock } from '../selfmon.js';
import { request } from './request.js';

export const TICKET_PATH = '/api/auth/websocket-ticket';

/** ws → http, wss → https, same host and port, the ticket path. */
export function ticketUrl(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = TICKET_PATH;
  u.search = '';
  u.hash = '';
  return u.toString();
}

/** Read at every connect, so a rotated token file is picked up without a restart. */
async function readToken(source: TokenSource): Promise<string> {
  const token =
    'tokenFile' in source ? (await readFile(source.tokenFile, 'utf8')).trim() : process.env[source.tokenEnv];
  if (!token) {
    throw new Error('the bearer token is empty');
  }
  return token;
}

/** The ticket endpoint answered, but not with a ticket; `status` is its HTTP status. */
export class TicketError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
  }
}

/** Returns `wsUrl` with `?wsTicket=` set. Errors never include the token or the ticket. */
export async function withTicket(
  wsUrl: string,
  source: TokenSource,
  headers: Record<string, string>,
  timeoutMs: number,
  clock: StallClock
): Promise<string> {
  const token = await readToken(source);
  const res = await request(ticketUrl(wsUrl), {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}`, 'content-length': '0' },
    timeoutMs,
    clock,
  });
  if (res.status !== 200) {
    throw new TicketError(`ticket request answered HTTP ${res.status}`, res.status);
  }
  let ticket: unknown;
  try {
    ticket = (JSON.parse(res.body) as { ticket?: unknown }).ticket;
  } catch {
    ticket = undefined;
  }
  if (typeof ticket !== 'string' || !ticket) {
    throw new TicketError('ticket reply has no "ticket" string', 200);
  }
  const u = new URL(wsUrl);
  u.searchParams.set('wsTicket', ticket);
  return u.toString();
}

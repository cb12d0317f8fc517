// t3 ticket auth: a fresh ticket before every connect (tickets live 5 minutes and are reusable, but a
// fresh one proves the token still works), fetched with the leg's bearer token.
import { readFile } from 'node:fs/promises';
import type { TokenSource } from './websocket-config.js';
import type { StallClock } from '../selfmon.js';
import { request } from './request.js';
import { serverUrl } from './server-url.js';

const TICKET_PATH = '/api/auth/websocket-ticket';

/** Read at every connect, so a rotated token file is picked up without a restart. */
export async function readToken(source: TokenSource): Promise<string> {
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

/** Returns `wsUrl` with `?wsTicket=` set, bought with `token`. Errors never include the token or the ticket. */
export async function withTicket(
  wsUrl: string,
  token: string,
  headers: Record<string, string>,
  timeoutMs: number,
  clock: StallClock
): Promise<string> {
  const res = await request(serverUrl(wsUrl, TICKET_PATH), {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}`, 'content-length': '0' },
    timeoutMs,
    clock,
  });
  if (res.status !== 200) {
    throw new TicketError(`ticket request answered HTTP ${res.status}${credentialWhy(res.body)}`, res.status);
  }
  let ticket: unknown;
  try {
    ticket = (JSON.parse(res.body) as { ticket?: unknown }).ticket;
  } catch {
    ticket = undefined;
  }
  if (typeof ticket !== 'string' || !ticket) {
    // The server answered and issued nothing: it refused the token as surely as a 401 does.
    throw new TicketError('ticket reply has no "ticket" string', 401);
  }
  const u = new URL(wsUrl);
  u.searchParams.set('wsTicket', ticket);
  return u.toString();
}

/** `: invalid_credential` when a refusal's body says why (t3 names the reason); never the token. */
export function credentialWhy(body: string): string {
  const why = /\b(missing_credential|invalid_credential)\b/.exec(body.slice(0, 4096))?.[1];
  return why ? `: ${why}` : '';
}

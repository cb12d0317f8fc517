// Query parameters of the read-only API. Anything malformed is a BadRequest naming the parameter.
import { formatDuration } from '../engine.js';

export class BadRequest extends Error {}

const UNIX_MS = /^\d{1,15}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const DEFAULT_SPAN_MS = 3_600_000;
const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;

/** Unix milliseconds or RFC 3339. */
export function parseTime(value: string, name: string): number {
  const ms = UNIX_MS.test(value) ? Number(value) : RFC3339.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) {
    throw new BadRequest(`${name}: ${JSON.stringify(value)} is not Unix milliseconds or an RFC 3339 time`);
  }
  return ms;
}

interface Window {
  from: number;
  to: number;
}

/** to defaults to now, from to one hour before to; the span may not exceed what the store keeps. */
export function parseWindow(q: URLSearchParams, now: number, retentionMs: number): Window {
  const toRaw = q.get('to');
  const fromRaw = q.get('from');
  const to = toRaw === null ? now : parseTime(toRaw, 'to');
  const from = fromRaw === null ? to - DEFAULT_SPAN_MS : parseTime(fromRaw, 'from');
  if (from > to) {
    throw new BadRequest(`from: ${fromRaw ?? from} is after to (${toRaw ?? to})`);
  }
  if (to - from > retentionMs) {
    throw new BadRequest(
      `from: the window (${formatDuration(to - from)}) is longer than the retention (${formatDuration(retentionMs)})`
    );
  }
  return { from, to };
}

export function parseLimit(q: URLSearchParams): number {
  const raw = q.get('limit');
  if (raw === null) {
    return DEFAULT_LIMIT;
  }
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) {
    throw new BadRequest(`limit: ${JSON.stringify(raw)} is not a whole number from 1 to ${MAX_LIMIT}`);
  }
  return n;
}

/** A comma-separated list whose items must be among `allowed`; null when absent or empty. */
export function parseList<T extends string>(q: URLSearchParams, name: string, allowed: readonly T[]): T[] | null {
  const items = (q.get(name) ?? '').split(',').filter(Boolean);
  if (items.length === 0) {
    return null;
  }
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new BadRequest(`${name}: ${JSON.stringify(item)} is not one of ${allowed.join(', ')}`);
    }
  }
  return items as T[];
}

/** At most this many known users are listed in an error. */
const USERS_LISTED = 20;

/** `user`: one of the topology's users (top-level `users` or a leg's `user`); null when absent or empty. */
export function parseUser(q: URLSearchParams, users: readonly string[]): string | null {
  const raw = q.get('user');
  if (raw === null || raw === '') {
    return null;
  }
  if (!users.includes(raw)) {
    const more = users.length > USERS_LISTED ? `, … (${users.length} in all)` : '';
    const known =
      users.length === 0
        ? "the probe's config lists no users"
        : `known: ${users.slice(0, USERS_LISTED).join(', ')}${more}`;
    throw new BadRequest(`user: ${JSON.stringify(raw)} is not a user the probe knows (${known})`);
  }
  return raw;
}

/**
 * What went wrong with a request through Grafana's data proxy, in one sentence a person can act on.
 * The proxy's own answers carry no upstream text: it turns the upstream's 401 into a 400 whose body is
 * "Authentication to data source failed", and answers 502 (unreachable) or 504 (timed out) with an
 * empty body; Grafana's BackendSrv then hands `data` on as `{ message, error: statusText, response }`.
 * Any other answer gives its status, and the upstream's own `{"error": "..."}` text when it sent one.
 */

import { clip } from './clip';

/** Who answers behind the proxy, for the sentences: e.g. "the probe" and its "API token". */
export interface Upstream {
  name: string;
  credential: string;
}

export const PROBE: Upstream = { name: 'the probe', credential: 'API token' };
export const PROMETHEUS: Upstream = { name: 'Prometheus', credential: 'credentials' };

/** Grafana's data proxy's body in place of an upstream 401. */
export const PROXY_AUTH_FAILED = 'Authentication to data source failed';

/** An error text from elsewhere (the probe, a proxy) is quoted up to this length. */
const ERROR_TEXT_MAX = 300;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * A text body (as is, or as Grafana's BackendSrv wrapped it in `response`) — looked at, not quoted: it
 * may be a whole HTML page — and the upstream's own JSON error text, quoted.
 */
function readBody(data: unknown): { text: string | null; error: string | null } {
  if (typeof data === 'string') {
    return { text: data, error: null };
  }
  if (!isRecord(data)) {
    return { text: null, error: null };
  }
  if (typeof data.response === 'string') {
    return { text: data.response, error: null };
  }
  const error = [data.error, data.message].find((v): v is string => typeof v === 'string') ?? null;
  return { text: null, error };
}

function statusSentence(status: number, statusText: string, data: unknown, upstream: Upstream): string {
  const code = `${status}${statusText ? ` ${statusText}` : ''}`;
  const { text, error } = readBody(data);
  if ((status === 400 && text === PROXY_AUTH_FAILED) || status === 401 || status === 403) {
    const why = status === 400 ? `Grafana's data proxy: 400 "${PROXY_AUTH_FAILED}"` : code;
    return `${upstream.name} refused the datasource's ${upstream.credential}: set it in the datasource settings (${why})`;
  }
  if (status === 502 && !text && !error) {
    return `${upstream.name} is unreachable from Grafana's server (${code}): check the URL in the datasource settings and that ${upstream.name} is running`;
  }
  if (status === 504) {
    return `${upstream.name} did not answer Grafana's server in time (${code}): is it overloaded or stalled?`;
  }
  return error ? `${code}: ${clip(error, ERROR_TEXT_MAX)}` : code;
}

/** `path: <sentence>` for a rejected request to `upstream` (a FetchError-like object, or anything thrown). */
export function requestErrorText(err: unknown, path: string, upstream: Upstream = PROBE): string {
  if (isRecord(err) && typeof err.status === 'number') {
    const statusText = typeof err.statusText === 'string' ? err.statusText : '';
    return `${path}: ${statusSentence(err.status, statusText, err.data, upstream)}`;
  }
  if (isRecord(err) && typeof err.message === 'string') {
    return `${path}: ${clip(err.message, ERROR_TEXT_MAX)}`;
  }
  return `${path}: ${clip(String(err), ERROR_TEXT_MAX)}`;
}

/** `path: <sentence>` for a request that had no answer within `timeoutMs` (the client's own timeout). */
export function noAnswerText(path: string, timeoutMs: number): string {
  return `${path}: no answer within ${timeoutMs / 1000} s`;
}

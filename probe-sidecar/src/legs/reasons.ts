// Maps what Node and ws report to the engine's fixed Reason set.
import type { Reason } from '../engine.js';

const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
/** An ICMP unreachable is an active rejection by the network, like a TCP RST on connect. */
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
/** ws's close codes for a broken frame or payload, whichever side noticed it. */
const PROTOCOL_CLOSE = new Set([1002, 1003, 1007, 1009, 1010]);

/** Raised by our own timers (handshake, request): never an errno, so it cannot be confused with one. */
const TIMEOUT_CODE = 'T3PROBE_TIMEOUT';

type Phase = 'connect' | 'open';

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The innermost cause that carries an errno-like code (fetch and some libraries wrap it). */
function rootCause(err: unknown): unknown {
  let cur = err;
  for (let i = 0; i < 5 && cur && !codeOf(cur); i++) {
    cur = (cur as { cause?: unknown }).cause;
  }
  return cur ?? err;
}

function isTls(err: unknown, code: string): boolean {
  if (/^ERR_(TLS|SSL)_/.test(code) || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) || code === 'EPROTO') {
    return true;
  }
  return typeof (err as { library?: unknown }).library === 'string';
}

/** An error's reason. A timeout while connecting is a handshake timeout; after open, the path went silent. */
export function reasonFromError(err: unknown, phase: Phase): Reason {
  const cause = rootCause(err);
  const code = codeOf(cause) ?? '';
  if (code === TIMEOUT_CODE || code === 'ETIMEDOUT') {
    return phase === 'connect' ? 'handshake_timeout' : 'heartbeat_timeout';
  }
  if (REFUSED.has(code)) {
    return 'refused';
  }
  if (RESET.has(code)) {
    return 'reset';
  }
  if (DNS.has(code)) {
    return 'dns';
  }
  if (code.startsWith('WS_ERR_') || code.startsWith('HPE_')) {
    return 'protocol_error';
  }
  if (cause && isTls(cause, code)) {
    return 'tls';
  }
  return 'error';
}

/**
 * A t3 server's refusal of a websocket upgrade or a ticket request: 401/403 refuse the probe's credentials,
 * 426 its protocol version. Neither says anything about the network path.
 */
export function reasonFromRefusal(status: number): Reason {
  if (status === 401 || status === 403) {
    return 'auth_failed';
  }
  if (status === 426) {
    return 'version_mismatch';
  }
  return reasonFromStatus(status);
}

export function reasonFromStatus(status: number): Reason {
  if (status >= 400 && status < 500) {
    return 'http_4xx';
  }
  if (status >= 500 && status < 600) {
    return 'http_5xx';
  }
  return 'unexpected_response';
}

/**
 * Why an open WebSocket closed that we did not close ourselves. ws reports a socket error after open
 * only as 1006; `socketError` is the error recovered from the underlying socket, if any.
 */
export function reasonFromClose(code: number, socketError: unknown): Reason {
  if (socketError) {
    const r = reasonFromError(socketError, 'open');
    if (r !== 'error') {
      return r;
    }
  }
  if (code === 1006) {
    return 'abnormal_close';
  }
  if (PROTOCOL_CLOSE.has(code)) {
    return 'protocol_error';
  }
  return 'server_close';
}

export function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { code: TIMEOUT_CODE });
}

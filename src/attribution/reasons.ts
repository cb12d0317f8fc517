import type { FaultKind, Reason } from './types';

/** Every reason a disconnect can carry: the label values of `t3probe_disconnects_total{reason}`. */
export const ALL_REASONS: readonly Reason[] = [
  'heartbeat_timeout',
  'handshake_timeout',
  'refused',
  'reset',
  'dns',
  'tls',
  'http_4xx',
  'http_5xx',
  'unexpected_response',
  'server_close',
  'abnormal_close',
  'protocol_error',
  'probe_stall',
  'error',
];

export const REASON_TEXT: Record<Reason, string> = {
  heartbeat_timeout: 'no answer within the watchdog timeout (for http legs: the request timed out)',
  handshake_timeout: 'the connection or WebSocket handshake did not complete in time',
  refused: 'connection refused: nothing listening',
  reset: 'connection reset by a peer',
  dns: 'the name did not resolve',
  tls: 'TLS failed (certificate or handshake)',
  http_4xx: 'HTTP 4xx answer (auth, routing)',
  http_5xx: 'HTTP 5xx answer (a proxy or the server failed)',
  unexpected_response: 'the server answered, but not with a WebSocket upgrade or the expected body',
  server_close: 'the server closed the connection cleanly',
  abnormal_close: 'the connection closed without a close frame',
  protocol_error: 'the server broke the protocol (bad frame, oversize message)',
  probe_stall: "the probe's own event loop or clock stalled",
  error: 'another error',
};

const STALL_REASONS: ReadonlySet<Reason> = new Set<Reason>(['heartbeat_timeout', 'handshake_timeout']);

/**
 * Timeouts are stalls: only a leg whose watchdog runs out notices them. Everything else broke the
 * connection at once, which every leg holding a connection through the same segment would have seen.
 */
export function faultKindOf(reason: Reason): FaultKind {
  return STALL_REASONS.has(reason) ? 'stall' : 'break';
}

export function isReason(value: unknown): value is Reason {
  return typeof value === 'string' && (ALL_REASONS as readonly string[]).includes(value);
}

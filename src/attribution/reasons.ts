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
  'auth_failed',
  'version_mismatch',
  'error',
];

const STALL_REASONS: ReadonlySet<Reason> = new Set<Reason>(['heartbeat_timeout', 'handshake_timeout']);
const CONFIG_REASONS: ReadonlySet<Reason> = new Set<Reason>(['auth_failed', 'version_mismatch']);

/**
 * Timeouts are stalls: only a leg whose watchdog runs out notices them. A refusal of the probe's own
 * credentials or version is the probe's config. Everything else broke the connection at once, which every
 * leg holding a connection through the same segment would have seen.
 */
export function faultKindOf(reason: Reason): FaultKind {
  return STALL_REASONS.has(reason) ? 'stall' : CONFIG_REASONS.has(reason) ? 'config' : 'break';
}

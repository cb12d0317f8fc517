// The server's environment descriptor tells which orchestration protocol its /ws wants: newer servers
// refuse an upgrade without `orchestrationProtocol=<version>` (HTTP 426), older ones have no such field.
import type { StallClock } from '../selfmon.js';
import { request } from './request.js';
import { serverUrl } from './server-url.js';

const DESCRIPTOR_PATH = '/.well-known/t3/environment';
const VERSION_PARAM = 'orchestrationProtocol';

/** The descriptor answered with a status that fails the path itself (a proxy's 5xx): the upgrade would too. */
export class DescriptorError extends Error {
  constructor(readonly status: number) {
    super(`environment descriptor answered HTTP ${status}`);
  }
}

/** The version a descriptor body names, or null (an older server, or not a descriptor at all). */
function protocolVersionOf(body: string): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return null;
  }
  const v = (doc as { orchestrationProtocolVersion?: unknown } | null)?.orchestrationProtocolVersion;
  if (typeof v === 'number' && Number.isFinite(v)) {
    return String(v);
  }
  return typeof v === 'string' && /^[\w.-]{1,32}$/.test(v) ? v : null;
}

/**
 * `wsUrl` with the server's protocol version added, read from its descriptor at every connect so a server
 * upgrade is followed without a restart. A version already in the configured URL wins; a server without
 * the field gets none. Network errors reject (the leg's path failed); so does a 5xx.
 */
export async function withProtocolVersion(
  wsUrl: string,
  headers: Record<string, string>,
  timeoutMs: number,
  clock: StallClock
): Promise<string> {
  const u = new URL(wsUrl);
  if (u.searchParams.has(VERSION_PARAM)) {
    return wsUrl;
  }
  const res = await request(serverUrl(wsUrl, DESCRIPTOR_PATH), {
    method: 'GET',
    headers,
    timeoutMs,
    clock,
    maxBodyBytes: 16 * 1024,
  });
  if (res.status >= 500) {
    throw new DescriptorError(res.status);
  }
  const version = res.status === 200 ? protocolVersionOf(res.body) : null;
  if (version === null) {
    return wsUrl;
  }
  u.searchParams.set(VERSION_PARAM, version);
  return u.toString();
}

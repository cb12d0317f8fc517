import { describe, expect, it } from 'vitest';
import { reasonFromClose, reasonFromError, reasonFromStatus, timeoutError } from './reasons.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('reasonFromError', () => {
  it.each([
    ['ECONNREFUSED', 'refused'],
    ['EHOSTUNREACH', 'refused'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['WS_ERR_INVALID_OPCODE', 'protocol_error'],
    ['HPE_INVALID_CONSTANT', 'protocol_error'],
    ['EWHATEVER', 'error'],
  ])('%s → %s', (code, reason) => expect(reasonFromError(errno(code), 'open')).toBe(reason));

  it('an OpenSSL error without a known code is tls', () => {
    expect(
      reasonFromError(
        Object.assign(new Error('wrong version number'), {
          library: 'SSL routines',
          code: 'ERR_SSL_WRONG_VERSION_NUMBER',
        }),
        'connect'
      )
    ).toBe('tls');
  });

  it('timeouts: handshake while connecting, heartbeat once open', () => {
    expect(reasonFromError(timeoutError('x'), 'connect')).toBe('handshake_timeout');
    expect(reasonFromError(timeoutError('x'), 'open')).toBe('heartbeat_timeout');
    expect(reasonFromError(errno('ETIMEDOUT'), 'connect')).toBe('handshake_timeout');
  });

  it('unwraps a cause chain (fetch-style errors)', () => {
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: errno('ECONNRESET') });
    expect(reasonFromError(wrapped, 'open')).toBe('reset');
  });

  it('an error without a code is error', () => {
    expect(reasonFromError(new Error('boom'), 'open')).toBe('error');
    expect(reasonFromError(null, 'open')).toBe('error');
  });
});

describe('reasonFromStatus', () => {
  it.each([
    [401, 'http_4xx'],
    [404, 'http_4xx'],
    [502, 'http_5xx'],
    [503, 'http_5xx'],
    [301, 'unexpected_response'],
    [200, 'unexpected_response'],
  ])('%d → %s', (status, reason) => expect(reasonFromStatus(status)).toBe(reason));
});

describe('reasonFromClose', () => {
  it('recovers the socket error behind a 1006', () => {
    expect(reasonFromClose(1006, errno('ECONNRESET'))).toBe('reset');
    expect(reasonFromClose(1006, errno('ETIMEDOUT'))).toBe('heartbeat_timeout');
  });
  it('1006 without a known cause is an abnormal close', () => {
    expect(reasonFromClose(1006, null)).toBe('abnormal_close');
    expect(reasonFromClose(1006, new Error('odd'))).toBe('abnormal_close');
  });
  it('a close frame from the server is server_close, protocol codes protocol_error', () => {
    expect(reasonFromClose(1000, null)).toBe('server_close');
    expect(reasonFromClose(1001, null)).toBe('server_close');
    expect(reasonFromClose(1011, null)).toBe('server_close');
    expect(reasonFromClose(1002, null)).toBe('protocol_error');
    expect(reasonFromClose(1009, null)).toBe('protocol_error');
  });
});

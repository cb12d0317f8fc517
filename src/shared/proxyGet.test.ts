// @vitest-environment jsdom
import { type BackendSrv, type BackendSrvRequest, setBackendSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { proxyGet } from './proxyGet';
import { PROMETHEUS } from './requestError';

/** A backend whose requests never answer; it records each one and whether it was cancelled. */
function hungBackend() {
  const asked: Array<{ url: string; cancelled: boolean }> = [];
  setBackendSrv({
    fetch: (options: BackendSrvRequest) =>
      new Observable(() => {
        const request = { url: options.url, cancelled: false };
        asked.push(request);
        return () => (request.cancelled = true);
      }),
  } as unknown as BackendSrv);
  return asked;
}

describe('proxyGet', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives up after 15 s, cancels the request and says so naming the path', async () => {
    const asked = hungBackend();
    const answer = proxyGet('/api/datasources/proxy/uid/x/probe', '/api/v1/legs', { from: 1, leg: '', to: undefined });
    const settled = expect(answer).rejects.toThrow(/^\/api\/v1\/legs: no answer within 15 s$/);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(asked).toEqual([{ url: '/api/datasources/proxy/uid/x/probe/api/v1/legs?from=1', cancelled: false }]);
    await vi.advanceTimersByTimeAsync(1);
    await settled;
    expect(asked[0]?.cancelled).toBe(true);
  });

  it('a refused request is one sentence naming the upstream', async () => {
    setBackendSrv({
      fetch: () => new Observable((sub) => sub.error({ status: 401, statusText: 'Unauthorized', data: {} })),
    } as unknown as BackendSrv);
    await expect(proxyGet('/p', '/api/v1/query', {}, PROMETHEUS)).rejects.toThrow(
      "/api/v1/query: Prometheus refused the datasource's credentials: set it in the datasource settings (401 Unauthorized)"
    );
  });
});

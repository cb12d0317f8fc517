import { type BackendSrv, type BackendSrvRequest, type FetchResponse, setBackendSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

export interface FakeAnswer {
  status?: number;
  body: unknown;
}

/**
 * A stand-in for Grafana's backend service: answers requests from a route table (path without query →
 * answer) and records every request URL, so tests see exactly what the plugin asked Grafana's server.
 */
export function fakeBackendSrv(routes: Record<string, FakeAnswer | ((url: URL) => FakeAnswer)>) {
  const requests: BackendSrvRequest[] = [];
  const answer = (
    options: BackendSrvRequest
  ): { ok: boolean; response: FetchResponse<unknown> | Record<string, unknown> } => {
    requests.push(options);
    const url = new URL(options.url, 'http://grafana.invalid');
    const route = routes[url.pathname];
    const a = typeof route === 'function' ? route(url) : (route ?? { status: 404, body: { message: 'Not found' } });
    const status = a.status ?? 200;
    if (status >= 400) {
      return { ok: false, response: { status, statusText: '', data: a.body, config: options } };
    }
    return {
      ok: true,
      response: {
        data: a.body,
        status,
        statusText: 'OK',
        ok: true,
        headers: new Headers(),
        redirected: false,
        type: 'basic',
        url: options.url,
        config: options,
      },
    };
  };
  const srv = {
    fetch: (options: BackendSrvRequest) =>
      new Observable((sub) => {
        const { ok, response } = answer(options);
        if (ok) {
          sub.next(response);
          sub.complete();
        } else {
          sub.error(response);
        }
      }),
    get: async (url: string, params?: Record<string, string>) => {
      const q = params ? `?${new URLSearchParams(params)}` : '';
      const { ok, response } = answer({ url: url + q, method: 'GET' });
      if (!ok) {
        throw response;
      }
      return (response as FetchResponse).data;
    },
    post: async (url: string, data?: unknown) => {
      const { ok, response } = answer({ url, method: 'POST', data });
      if (!ok) {
        throw response;
      }
      return (response as FetchResponse).data;
    },
  };
  setBackendSrv(srv as unknown as BackendSrv);
  return { requests, srv };
}

/**
 * Stand-in for Grafana's BackendSrv: the plugin's HTTP calls go out with window.fetch to the harness
 * server (whose /api/datasources/proxy/... is the data proxy stand-in), and come back in Grafana's shapes:
 * FetchResponse on success, a FetchError-like object ({status, statusText, data, config}) on failure,
 * whose `data` Grafana's BackendSrv has normalised: a text body (Grafana's data proxy's own answers are
 * text or empty) becomes `{ message, error: statusText, response: text }`, and an empty message takes
 * the error's.
 */
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable } from 'rxjs';
import type { HarnessRequest } from '../api';

function withParams(url: string, params: BackendSrvRequest['params']): string {
  if (!params) {
    return url;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === undefined || value === null) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(key, String(item));
    }
  }
  const query = search.toString();
  if (!query) {
    return url;
  }
  return url + (url.includes('?') ? '&' : '?') + query;
}

async function send<T>(
  options: BackendSrvRequest,
  signal: AbortSignal,
  log: HarnessRequest[]
): Promise<FetchResponse<T>> {
  const url = new URL(withParams(options.url, options.params), document.baseURI).href;
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
  let body: BodyInit | undefined;
  if (options.data !== undefined) {
    body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(url, { method, headers, body, signal, credentials: 'same-origin' });
  log.push({ method, url, status: response.status });
  const text = await response.text();
  let data: unknown = text;
  if (options.responseType !== 'text' && text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    // Grafana rejects with this shape; isFetchError() recognises it by `status` and `data`.
    throw {
      status: response.status,
      statusText: response.statusText,
      data: errorData(data, response),
      config: options,
    };
  }
  return {
    data: data as T,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: options,
  };
}

/** Grafana's BackendSrv.processRequestError, as far as it shapes `data`. */
function errorData(data: unknown, response: Response): unknown {
  const shaped =
    typeof data === 'string'
      ? { message: data, error: response.statusText, response: data }
      : (data ?? { message: 'Unexpected error' });
  if (typeof shaped === 'object' && shaped !== null) {
    const record = shaped as Record<string, unknown>;
    if (!record.message && typeof record.error === 'string') {
      record.message = record.error;
    }
  }
  return shaped;
}

export function createBackendSrv(log: HarnessRequest[]): BackendSrv {
  const fetchObservable = <T>(options: BackendSrvRequest) =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      send<T>(options, controller.signal, log).then(
        (response) => {
          subscriber.next(response);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error)
      );
      return () => controller.abort();
    });
  const request = async <T>(options: BackendSrvRequest): Promise<T> =>
    (await lastValueFrom(fetchObservable<T>(options))).data;

  const srv = {
    fetch: fetchObservable,
    request,
    datasourceRequest: <T>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)),
    get: <T>(
      url: string,
      params?: BackendSrvRequest['params'],
      _requestId?: string,
      options?: Partial<BackendSrvRequest>
    ) => request<T>({ ...options, url, params, method: 'GET' }),
    delete: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, data, method: 'DELETE' }),
    post: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, data, method: 'POST' }),
    patch: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, data, method: 'PATCH' }),
    put: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, data, method: 'PUT' }),
    chunked: () => {
      throw new Error('the harness BackendSrv does not stream chunked responses');
    },
  };
  return srv as unknown as BackendSrv;
}

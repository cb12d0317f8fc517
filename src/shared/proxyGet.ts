import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom, timeout, TimeoutError } from 'rxjs';
import { noAnswerText, PROBE, requestErrorText, type Upstream } from './requestError';

/**
 * One request waits this long for its answer. Grafana's data proxy gives up only after 30 s (its default);
 * a person triaging or a dashboard should hear sooner that the probe or Prometheus is not answering.
 */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The one HTTP client for Grafana's data proxy, used by the datasource and the app's pages: GET `path`
 * below `base` (e.g. `/api/datasources/proxy/uid/<uid>/probe`) with `params` (undefined and empty ones left
 * out). Errors become one sentence, `<path>: <what went wrong>`, in the words of requestError.ts.
 */
export async function proxyGet(
  base: string,
  path: string,
  params: Record<string, string | number | undefined> = {},
  upstream: Upstream = PROBE
): Promise<unknown> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') {
      search.set(k, String(v));
    }
  }
  const qs = search.toString();
  try {
    const response = await lastValueFrom(
      getBackendSrv()
        .fetch<unknown>({ url: `${base}${path}${qs ? `?${qs}` : ''}`, method: 'GET', showErrorAlert: false })
        .pipe(timeout(REQUEST_TIMEOUT_MS))
    );
    return response.data;
  } catch (err) {
    // rxjs's timeout unsubscribes, which cancels the request.
    throw new Error(
      err instanceof TimeoutError ? noAnswerText(path, REQUEST_TIMEOUT_MS) : requestErrorText(err, path, upstream)
    );
  }
}

import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom, timeout, TimeoutError } from 'rxjs';
import type { DataFrame } from '@grafana/data';
import { PROBE, PROMETHEUS, requestErrorText, type Upstream } from '../datasource/requestError';
import type { PromRequest } from '../pages/triage/promQueries';
import { promAnswerToFrames } from './promToFrames';

/**
 * A page waits this long for one answer. Grafana's data proxy gives up only after 30 s (its default); a
 * person triaging should hear sooner that the probe or Prometheus is not answering.
 */
export const REQUEST_TIMEOUT_MS = 15_000;

/** GET through Grafana's data proxy for a datasource uid; errors become one sentence naming `upstream`. */
async function proxyGet(
  uid: string,
  upstream: Upstream,
  path: string,
  params: Record<string, string | number>
): Promise<unknown> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const url = `/api/datasources/proxy/uid/${encodeURIComponent(uid)}${path}${qs ? `?${qs}` : ''}`;
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<unknown>({ url, method: 'GET', showErrorAlert: false }).pipe(timeout(REQUEST_TIMEOUT_MS))
    );
    return res.data;
  } catch (err) {
    // rxjs's timeout unsubscribes, which cancels the request.
    const why =
      err instanceof TimeoutError
        ? `${path}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
        : requestErrorText(err, path, upstream);
    throw new Error(`datasource "${uid}": ${why}`);
  }
}

/** The probe's API through its datasource's route (`probe`, see the datasource plugin.json). */
export function probeGet(
  probeUid: string,
  path: string,
  params: Record<string, string | number> = {}
): Promise<unknown> {
  return proxyGet(probeUid, PROBE, `/probe${path}`, params);
}

/**
 * Runs Prometheus requests in parallel; one failing query fails only its own refId. When every query
 * fails the same way (no such datasource, Prometheus down), the reason is given once.
 */
export async function promFrames(
  promUid: string,
  requests: PromRequest[]
): Promise<{ frames: DataFrame[]; errors: string[] }> {
  const results = await Promise.allSettled(
    requests.map(async (r) => promAnswerToFrames(r.refId, await proxyGet(promUid, PROMETHEUS, r.path, r.params)))
  );
  const frames: DataFrame[] = [];
  const errors: string[] = [];
  const reasons: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      frames.push(...r.value);
    } else {
      // The API path differs between instant and range queries; the reason is what matters.
      const reason = (r.reason as Error).message.replace(/: \/api\/v1\/query(_range)?:/, ':');
      reasons.push(reason);
      errors.push(`query "${requests[i]?.refId}": ${reason}`);
    }
  });
  if (reasons.length === requests.length && reasons.length > 1 && new Set(reasons).size === 1) {
    return { frames, errors: [`every query failed: ${reasons[0]}`] };
  }
  return { frames, errors };
}

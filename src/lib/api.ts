import type { DataFrame } from '@grafana/data';

import { proxyGet } from '../shared/proxyGet';
import { PROBE, PROMETHEUS, type Upstream } from '../shared/requestError';
import { promAnswerToFrames } from './promToFrames';

/** One Prometheus HTTP API request: the triage page's queries (see pages/triage/promQueries). */
export interface PromRequest {
  refId: string;
  /** Path below the Prometheus datasource's proxy URL. */
  path: '/api/v1/query' | '/api/v1/query_range';
  params: Record<string, string>;
}

/** GET through Grafana's data proxy for a datasource uid; errors become one sentence naming `upstream`. */
async function datasourceGet(
  uid: string,
  upstream: Upstream,
  path: string,
  params: Record<string, string | number>
): Promise<unknown> {
  try {
    return await proxyGet(`/api/datasources/proxy/uid/${encodeURIComponent(uid)}`, path, params, upstream);
  } catch (err) {
    throw new Error(`datasource "${uid}": ${(err as Error).message}`);
  }
}

/** The probe's API through its datasource's route (`probe`, see the datasource plugin.json). */
export function probeGet(
  probeUid: string,
  path: string,
  params: Record<string, string | number> = {}
): Promise<unknown> {
  return datasourceGet(probeUid, PROBE, `/probe${path}`, params);
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
    requests.map(async (r) => promAnswerToFrames(r.refId, await datasourceGet(promUid, PROMETHEUS, r.path, r.params)))
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

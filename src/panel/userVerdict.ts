import type { Leg, Verdict } from '../attribution/types';
import { readTopology, readVerdict } from '../shared/probe-api';
import { proxyGet } from '../shared/proxyGet';

/** One user's verdict from the probe, and the legs it weighed (for the path diagram's bars). */
interface UserVerdict {
  verdict: Verdict;
  legs: Leg[];
}

/**
 * The probe's verdict for `user`'s report over the range (`GET /api/v1/attribution?from&to&user=`), through
 * the attribution datasource `probeUid` and Grafana's data proxy, with the probe's topology for the legs'
 * paths. The probe knows every user and each one's own instance; an unknown user is its 400, whose text
 * the error carries.
 */
export async function loadUserVerdict(
  probeUid: string,
  user: string,
  range: { from: number; to: number }
): Promise<UserVerdict> {
  const base = `/api/datasources/proxy/uid/${encodeURIComponent(probeUid)}/probe`;
  const [verdict, topology] = await Promise.all([
    proxyGet(base, '/api/v1/attribution', { from: range.from, to: range.to, user }).then(readVerdict),
    proxyGet(base, '/api/v1/topology').then(readTopology),
  ]);
  const weighed = new Set(verdict.legs.map((l) => l.leg));
  return { verdict, legs: topology.legs.filter((l) => weighed.has(l.name)) };
}

import { APP_BASE_URL, ROUTES } from '../constants';

interface TriageTarget {
  from: number;
  to: number;
  leg?: string;
  /** Whose report (issue 12): the verdict for that user. */
  user?: string;
}

/**
 * The drill-down URL of the design's contract: `/a/t3-dropattribution-app/triage?from=<ms>&to=<ms>[&leg=]`,
 * and `&user=` for one user's report.
 */
export function triageHref(target: TriageTarget): string {
  const params = new URLSearchParams();
  params.set('from', String(Math.floor(target.from)));
  params.set('to', String(Math.ceil(target.to)));
  if (target.leg) {
    params.set('leg', target.leg);
  }
  if (target.user) {
    params.set('user', target.user);
  }
  return `${APP_BASE_URL}/${ROUTES.triage}?${params.toString()}`;
}

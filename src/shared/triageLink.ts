import { APP_BASE_URL, ROUTES } from '../constants';

interface TriageTarget {
  from: number;
  to: number;
  leg?: string;
}

/** The drill-down URL of the design's contract: `/a/t3-dropattribution-app/triage?from=<ms>&to=<ms>[&leg=]`. */
export function triageHref(target: TriageTarget): string {
  const params = new URLSearchParams();
  params.set('from', String(Math.floor(target.from)));
  params.set('to', String(Math.ceil(target.to)));
  if (target.leg) {
    params.set('leg', target.leg);
  }
  return `${APP_BASE_URL}/${ROUTES.triage}?${params.toString()}`;
}

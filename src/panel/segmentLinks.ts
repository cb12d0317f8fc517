import { triageHref } from '../shared/triageLink';

/** The devvm pressure dashboard (provisioned uid) for segments on the devvm host. */
const DEVVM_DASHBOARD = '/d/t3-devvm-pressure';
const DEVVM_SEGMENTS = new Set(['serve', 'devvm-net']);
/** A user's own serve instance (`serve.<user>`) runs on devvm too. */
const USER_INSTANCE = /^serve\./;

type LinkParse = { links: Map<string, string>; problems: string[] };

/** Reads the `segmentLinks` option: one `segment=url` per line; blank lines and `#` comments are skipped. */
export function parseSegmentLinks(text: string | undefined): LinkParse {
  const links = new Map<string, string>();
  const problems: string[] = [];
  (text ?? '').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      return;
    }
    const eq = line.indexOf('=');
    const id = eq > 0 ? line.slice(0, eq).trim() : '';
    const url = eq > 0 ? line.slice(eq + 1).trim() : '';
    // Only relative or http(s) links: a data link must never become a javascript: URL.
    if (!id || !(url.startsWith('/') || /^https?:\/\//i.test(url))) {
      problems.push(`segment links line ${i + 1} is not "segment=/path or https://…": ${JSON.stringify(raw)}`);
      return;
    }
    links.set(id, url);
  });
  return { links, problems };
}

/**
 * The data link of each segment: a configured one first (variables replaced by Grafana), then the devvm
 * pressure dashboard for devvm segments (users' own instances included), then the triage page for the
 * range, for the range's user when the panel shows one user's verdict.
 */
export function segmentLinkFor(
  segmentId: string,
  range: { from: number; to: number; user?: string },
  configured: Map<string, string>,
  replaceVariables: (s: string) => string
): string {
  const custom = configured.get(segmentId);
  if (custom !== undefined) {
    return replaceVariables(custom.replaceAll('${__from}', String(range.from)).replaceAll('${__to}', String(range.to)));
  }
  if (DEVVM_SEGMENTS.has(segmentId) || USER_INSTANCE.test(segmentId)) {
    return `${DEVVM_DASHBOARD}?from=${Math.floor(range.from)}&to=${Math.ceil(range.to)}`;
  }
  return triageHref(range);
}

import { formatDuration } from './duration';
import { ATTRIBUTION_TABLE, matchRunbookRow } from './runbook';
import { isProbeHost, PROBE_SEGMENT, userOfSegment } from './topology';
import type {
  EvidenceWhy,
  Incident,
  LegEvidence,
  LegSummaryWhy,
  MissingSeries,
  Reason,
  SegmentId,
  Topology,
} from './types';

function segmentName(topology: Topology, id: SegmentId): string {
  return topology.segments.find((s) => s.id === id)?.name ?? id;
}

/** "Cloudflare edge (cf-edge), QUIC tunnel / cloudflared (tunnel)". */
function describeSegments(topology: Topology, ids: readonly SegmentId[]): string {
  return ids.map((id) => `${segmentName(topology, id)} (${id})`).join(', ');
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What a segment set means in the runbook's words, or a plain list for custom topologies. */
export function meaningOf(topology: Topology, suspects: readonly SegmentId[]): string {
  if (suspects.length === 1 && suspects[0] === PROBE_SEGMENT.id) {
    return "the probe's own host (it stalled; no path segment is blamed)";
  }
  if (suspects.length > 0 && suspects.every(isProbeHost)) {
    return `a peer probe's own host, ${describeSegments(topology, suspects)} (it stalled; no path segment and no user's serve instance is blamed)`;
  }
  const isUserSegment = (id: SegmentId): boolean => userOfSegment(topology, id) !== undefined;
  const index = matchRunbookRow(suspects, isUserSegment);
  const row = index === null ? undefined : ATTRIBUTION_TABLE[index];
  const names = describeSegments(topology, suspects);
  // The exonerating row's meaning is the headline's own sentence: the segments alone are said here.
  if (!row || row.exonerates) {
    return names;
  }
  // A user's own instance without the shared serve: that user's serve, in the row's per-user words.
  const ownInstance = suspects.some(isUserSegment) && !suspects.includes('serve');
  return `${ownInstance && row.userMeaning ? row.userMeaning : row.meaning}: ${names}`;
}

/**
 * An exoneration in one sentence. Users' own instances among its suspects were watched by no leg: said
 * plainly, since only the shared infra is cleared then.
 */
export function exoneratedHeadline(
  topology: Topology,
  suspects: readonly SegmentId[],
  legCount: number,
  user: string | undefined
): string {
  const unwatched = suspects.flatMap((id) => {
    const owner = userOfSegment(topology, id);
    return owner === undefined ? [] : [{ id, owner }];
  });
  const meaning = meaningOf(topology, suspects);
  if (unwatched.length === 0) {
    const whose = user === undefined ? '' : ` for ${user}`;
    const legs =
      user === undefined ? `all ${legCount} legs` : `all ${legCount} legs, ${user}'s own serve instance included,`;
    return `Infra clean${whose}: ${legs} stayed up with data for the whole window. The drop was on the user's side: ${meaning}.`;
  }
  const ids = unwatched.map((u) => u.id).join(', ');
  const which =
    unwatched.length === 1
      ? `${(unwatched[0] as { owner: string }).owner}'s own serve instance (${ids}) was not watched: no leg checks it, so it is not cleared`
      : `the own serve instances of ${listWords(unwatched.map((u) => u.owner))} (${ids}) were not watched: no leg checks them, so they are not cleared`;
  const where = unwatched.length === 1 ? 'that instance' : 'those instances';
  return `Shared infra clean: all ${legCount} legs stayed up with data for the whole window, but ${which}. The drop was on the user's side or in ${where}: ${meaning}.`;
}

/** A headline's count of path incidents (`open`: what it says when one is still open). */
export function incidentCount(count: number, separateFaults: boolean, open: string): string {
  if (count <= 1) {
    return `Infra incident${open}`;
  }
  return `${count} incidents${separateFaults ? ', separate faults at the same time' : ''}${open}`;
}

/** What a failing leg's refusal says, as evidence; `undefined`: refused, but which refusal is not known. */
function refusalNote(reason: Reason | undefined): string {
  return reason === 'version_mismatch'
    ? "the server refused the probe's protocol version (HTTP 426)"
    : reason === 'auth_failed'
      ? "the server refused the probe's credentials (HTTP 401/403)"
      : "the server refused the probe's credentials or protocol version";
}

/** What to do about a leg the server refused, in the on-call engineer's terms. */
function refusalAdvice(leg: string, reason: Reason | undefined): string {
  const version = `the probe reads it from the server's /.well-known/t3/environment at every connect, so remove any orchestrationProtocol= from the leg's URL, or check that the descriptor and /ws reach the same t3 serve`;
  const token = `issue a new one with \`t3 auth session issue --token-only --ttl …\` (tokens expire after 30 days by default) and write it to the leg's token file; the next connect uses it, without a restart`;
  if (reason === 'version_mismatch') {
    return `the server refused leg \`${leg}\`'s protocol version (HTTP 426): ${version}`;
  }
  if (reason === 'auth_failed') {
    return `the probe's token for leg \`${leg}\` was refused: ${token}`;
  }
  return `the server refused leg \`${leg}\`'s credentials or protocol version (its event log says which): for a token, ${token}; for the version, ${version}`;
}

/** Every refused leg of config incidents, with what to do, in one sentence. */
export function refusalsAdvice(incidents: ReadonlyArray<Pick<Incident, 'kind' | 'evidence'>>): string {
  const pairs = new Map<string, Reason | undefined>();
  for (const i of incidents.filter((x) => x.kind === 'config')) {
    for (const e of i.evidence) {
      pairs.set(e.leg, e.reasons[0]);
    }
  }
  return [...pairs].map(([leg, reason]) => refusalAdvice(leg, reason)).join('; ');
}

const MISSING: Record<MissingSeries, string> = {
  disconnect_counter: 'no disconnect counter',
  connected_series: 'no connected series',
  probe_scrape: 'the probe was not scraped for the whole range',
};

/** What a leg's data says over a window, in words. */
export function legSummaryNote(why: LegSummaryWhy): string {
  switch (why.code) {
    case 'stayed_up':
      return 'stayed up';
    case 'drops':
      return `${why.count} drop${why.count === 1 ? '' : 's'}`;
    case 'down_since_before':
      return 'down since before the window';
    case 'was_down':
      return 'was down';
    case 'probe_stalled':
      return why.probe === undefined
        ? `the probe itself stalled for ${formatDuration(why.stallMs)} in the window`
        : `the ${why.probe} probe stalled for ${formatDuration(why.stallMs)} in the window (its legs watched nothing meanwhile)`;
    case 'refused':
      return "the server refused the probe's own config for this leg: nothing on its path was watched";
    case 'not_covered':
      return 'no data for the whole window';
    case 'missing':
      return why.missing.map((m) => MISSING[m]).join('; ');
  }
}

/** A leg's evidence for an incident, in words. */
export function evidenceNote(e: Pick<LegEvidence, 'reasons' | 'why'>): string {
  const why: EvidenceWhy = e.why;
  switch (why.code) {
    case 'dropped':
      return `dropped (${e.reasons.join(', ')})`;
    case 'refused':
      return refusalNote(e.reasons[0]);
    case 'slowed_without_dropping':
      return `round trips slowed to ${formatDuration(why.longestMs)} without dropping`;
    case 'not_probed':
      return 'no data: the probe was not probing this leg for the whole incident';
    case 'probe_stalled':
      return why.probe === undefined ? 'the probe itself was stalled' : `the ${why.probe} probe was stalled`;
    case 'down_for_another_fault':
      return `was down for another fault (${why.reason}) at the time`;
    case 'round_trips_slowed':
      return `stayed up but its round trips slowed to ${formatDuration(why.worstMs)}: it likely felt the same fault`;
    case 'stayed_up_through_stall':
      return `stayed up through a fault of at least ${formatDuration(why.minFaultMs)}; its watchdog catches any stall over ${formatDuration(why.neededMs)}`;
    case 'connection_held_through_break':
      return 'its connection stayed open through the break';
    case 'stayed_up_through_break':
      return `stayed up through a break of at least ${formatDuration(why.minFaultMs)}; it checks every ${formatDuration(why.checkEveryMs)}`;
    case 'answered_cross_check':
      return `answered a cross-check in ${formatDuration(why.rttMs)} while the fault was present`;
    case 'stall_under_watchdog':
      return `stayed up, but the fault may have been as short as ${formatDuration(why.minFaultMs)}, under its ${formatDuration(why.neededMs)} watchdog`;
    case 'break_between_checks':
      return `stayed up, but checks only every ${formatDuration(why.checkEveryMs)} and may have missed a ${formatDuration(why.minFaultMs)} break`;
    case 'fast_through_slowdown':
      return 'its round trips stayed fast through the slowdown';
    case 'too_few_round_trips':
      return 'too few round trips to rule the slowdown in or out';
    case 'range_summary':
      return legSummaryNote(why.summary);
    case 'slow_round_trips_in_range':
      return 'stayed up, but had slow round trips';
    case 'would_have_noticed':
      return 'stayed up, and would have noticed the same fault';
    case 'could_have_missed':
      return 'stayed up, but could have missed a fault this short';
  }
}

export function incidentSummary(incident: Omit<Incident, 'summary'>, topology: Topology): string {
  if (incident.kind === 'config') {
    const which = incident.reasons.length > 0 ? ` (${incident.reasons.join(', ')})` : '';
    return `${listWords(incident.legs)} refused by the server${which} → the probe's own configuration, no path segment: ${refusalsAdvice([incident])}`;
  }
  const failed = incident.evidence.filter((e) => e.role === 'failed').map((e) => e.leg);
  const clear = incident.evidence.filter((e) => e.role === 'clear').map((e) => e.leg);
  // Seen by one user: only other users' legs failed (their legs are not this user's to name).
  const who = failed.length > 0 ? listWords(failed) : "another user's leg";
  const what =
    incident.reasons.length === 0
      ? `${who} slowed to ${formatDuration(incident.minFaultMs)} round trips without dropping`
      : `${who} dropped (${incident.reasons.join(', ')})`;
  const stayed = clear.length > 0 ? `; ${listWords(clear)} stayed clean` : '';
  const blame = incident.suspects.length > 0 ? meaningOf(topology, incident.suspects) : 'no single segment';
  const others = incident.concurrentLegs ?? [];
  const apart =
    others.length > 0
      ? `; a separate fault from ${listWords(others)}'s at the same time (no one segment explains them all)`
      : '';
  return `${what}${stayed} → ${blame}${apart}`;
}

/** A peer probe's host stalled (the devvm probe's host is devvm: the box itself froze). */
export function peerStallAdvice(topology: Topology, hosts: readonly SegmentId[]): string {
  return `${describeSegments(topology, hosts)} stalled: the legs that probe runs watched nothing meanwhile, so their users' verdicts say unknown rather than clear. No user's serve instance is blamed; a peer probe on devvm stalling means devvm itself froze: check its CPU, memory and pressure.`;
}

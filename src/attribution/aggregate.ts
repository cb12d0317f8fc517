import { hintsFor } from './hints';
import { faultKindOf } from './reasons';
import { detectionOf, stallDetectionMs } from './leg-types';
import { inPathOrder, normalizeTopology, PROBE_SEGMENT, unmonitoredSegments } from './topology';
import { withDefaults } from './thresholds';
import { assembleVerdict } from './verdict';
import { makeEvidence, makeIncident, makeLegSummary } from './records';
import { rangeRefusalIncident } from './refusal-incidents';
import { suspectsOf } from './suspects';
import { userView } from './users';
import type {
  EvidenceWhy,
  LegSummaryWhy,
  MissingSeries,
  FaultKind,
  Incident,
  Leg,
  LegEvidence,
  Pressure,
  Reason,
  SegmentId,
  Thresholds,
  Topology,
  Verdict,
  WindowLegSummary,
} from './types';

/** One leg over a range, as Prometheus answers the dashboard's queries (see src/shared/promql.ts). */
export interface LegAggregate {
  /** Disconnects by reason over the range; null when the leg has no series. */
  drops: Partial<Record<Reason, number>> | null;
  connectedNow: boolean | null;
  /** Minimum of t3probe_connected over the range: 0 means it dropped at some point. */
  connectedMin: number | null;
  rttP99Ms: number | null;
  /** Round trips slower than the stall threshold over the range. */
  slowSamples: number | null;
  /** Maximum of t3probe_leg_misconfigured over the range: 1 means a server refused the probe's config. */
  misconfiguredMax?: number | null;
}

export interface AggregateEvidence {
  from: number;
  to: number;
  /** Whether Prometheus scraped the probe for the whole range; null: unknown. */
  probeUp: boolean | null;
  legs: Record<string, LegAggregate | undefined>;
  /** The probe's own exact attributions (t3probe_incidents_total by suspect); null: no series. */
  incidentsBySuspect: Record<string, number> | null;
  pressure: Pressure;
}

// increase() extrapolates, so one counted event can read 0.97 or 1.04: half an event is the line.
const counted = (value: number | null | undefined): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0.5;

function total(drops: Partial<Record<Reason, number>> | null): number {
  return Object.values(drops ?? {}).reduce<number>((a, b) => a + (Number.isFinite(b) ? (b as number) : 0), 0);
}

/** A server refused the leg's credentials or protocol version at some point in the range. */
function refused(agg: LegAggregate | undefined): boolean {
  return (
    (agg?.misconfiguredMax ?? 0) >= 0.5 ||
    Object.entries(agg?.drops ?? {}).some(([r, n]) => faultKindOf(r as Reason) === 'config' && counted(n))
  );
}

function summarize(leg: Leg, agg: LegAggregate | undefined, probeUp: boolean | null): WindowLegSummary {
  const drops: Partial<Record<Reason, number>> = {};
  for (const [reason, n] of Object.entries(agg?.drops ?? {})) {
    if (counted(n)) {
      drops[reason as Reason] = Math.round(n as number);
    }
  }
  const rttP99Ms = agg?.rttP99Ms ?? null;
  if (refused(agg)) {
    // Its drops and down time are the refusal's, not the path's: it watched nothing.
    return makeLegSummary({
      leg: leg.name,
      hasData: false,
      drops,
      connected: null,
      rttP99Ms,
      why: { code: 'refused' },
    });
  }
  const hasData = !!agg && agg.drops !== null && agg.connectedMin !== null && probeUp !== false;
  const missing: MissingSeries[] = [];
  if (!agg || agg.drops === null) {
    missing.push('disconnect_counter');
  }
  if (!agg || agg.connectedMin === null) {
    missing.push('connected_series');
  }
  if (probeUp === false) {
    missing.push('probe_scrape');
  }
  const n = total(drops);
  const why: LegSummaryWhy = !hasData
    ? { code: 'missing', missing }
    : n > 0
      ? { code: 'drops', count: n }
      : (agg?.connectedMin ?? 1) < 1
        ? { code: 'was_down' }
        : { code: 'stayed_up' };
  return makeLegSummary({
    leg: leg.name,
    hasData,
    drops,
    connected: hasData ? (agg?.connectedNow ?? null) : null,
    rttP99Ms,
    why,
  });
}

/**
 * The verdict for a dashboard range from Prometheus aggregates alone. The probe's own attributions, when
 * present, are exact; otherwise the legs' drop counts are reasoned over as one fault for the whole range,
 * which is coarser: durations are unknown, so a healthy leg clears a stall only if its watchdog is at
 * least as quick as the failing legs' and it saw no slow round trips. For a `user` (a user of the
 * topology), only their view is reasoned over (users.ts): the shared legs and theirs, the probe's counts
 * for the shared segments and their own instance.
 */
export function verdictFromAggregates(
  topologyIn: Topology,
  evidence: AggregateEvidence,
  thresholds?: Partial<Thresholds>,
  user?: string
): Verdict {
  const full = normalizeTopology(topologyIn);
  const topology = user === undefined ? full : userView(full, user);
  const t = withDefaults(thresholds);
  const legs = topology.legs.map((l) => summarize(l, evidence.legs[l.name], evidence.probeUp));
  const data = new Map(legs.map((l) => [l.leg, l]));
  const agg = (name: string): LegAggregate | undefined => evidence.legs[name];
  const failing = topology.legs.filter((l) => {
    const s = data.get(l.name);
    const a = agg(l.name);
    return !!s?.hasData && (total(s.drops) > 0 || (a?.connectedMin ?? 1) < 1 || a?.connectedNow === false);
  });
  const slow = topology.legs.filter(
    (l) => data.get(l.name)?.hasData && counted(agg(l.name)?.slowSamples) && !failing.includes(l)
  );
  const refusedLegs = topology.legs.filter((l) => refused(agg(l.name)));
  // The probe counts a refusal's incident against `probe`: with refused legs in the range, that count is theirs.
  const exact = Object.entries(evidence.incidentsBySuspect ?? {})
    .filter(([, n]) => counted(n))
    .map(([id]) => id)
    .filter((id) => topology.segments.some((s) => s.id === id))
    .filter((id) => refusedLegs.length === 0 || id !== PROBE_SEGMENT.id);

  let incident: Incident | null = null;
  const involved = failing.length > 0 ? failing : slow;
  if (exact.length > 0 || involved.length > 0) {
    const reasons = [...new Set(failing.flatMap((l) => Object.keys(data.get(l.name)?.drops ?? {}) as Reason[]))];
    // A leg that was down with no counted reason (down since before the range) may have been a stall.
    const kind: FaultKind =
      failing.length === 0 || reasons.length === 0 || reasons.some((r) => faultKindOf(r) === 'stall')
        ? 'stall'
        : 'break';
    const fastestFailing = Math.min(...involved.map(stallDetectionMs));
    const evidenceList: LegEvidence[] = topology.legs.map((l) => {
      const s = data.get(l.name) as WindowLegSummary;
      const judged = (role: LegEvidence['role'], why: EvidenceWhy, reasons: Reason[] = []): LegEvidence =>
        makeEvidence({ leg: l.name, role, reasons, why });
      if (involved.includes(l)) {
        return judged('failed', { code: 'range_summary', summary: s.why }, Object.keys(s.drops) as Reason[]);
      }
      if (!s.hasData) {
        return judged('nodata', { code: 'range_summary', summary: s.why });
      }
      if (counted(agg(l.name)?.slowSamples)) {
        return judged('blind', { code: 'slow_round_trips_in_range' });
      }
      const clears =
        failing.length > 0 &&
        (kind === 'break' ? detectionOf(l).heldConnection : stallDetectionMs(l) <= fastestFailing);
      return clears ? judged('clear', { code: 'would_have_noticed' }) : judged('blind', { code: 'could_have_missed' });
    });
    let suspects: SegmentId[];
    if (exact.length > 0) {
      suspects = exact;
    } else if (reasons.includes('probe_stall')) {
      suspects = [PROBE_SEGMENT.id];
    } else {
      suspects = suspectsOf(topology, evidenceList);
    }
    incident = makeIncident(
      {
        id: `range-${evidence.from}-${evidence.to}`,
        start: evidence.from,
        end: evidence.to,
        legs: involved.map((l) => l.name),
        reasons,
        kind,
        suspects: inPathOrder(topology, suspects),
        minFaultMs: 0,
        evidence: evidenceList,
      },
      topology
    );
  }

  const incidents = incident ? [incident] : [];
  if (refusedLegs.length > 0) {
    incidents.push(
      rangeRefusalIncident(
        refusedLegs.map((l) => data.get(l.name) as WindowLegSummary),
        topology,
        evidence
      )
    );
  }
  const verdict =
    incidents.length > 0 ? 'incident' : legs.length === 0 || legs.some((l) => !l.hasData) ? 'unknown' : 'exonerated';
  const suspects =
    incidents.length > 0
      ? [...new Set(incidents.flatMap((i) => i.suspects))]
      : verdict === 'exonerated'
        ? unmonitoredSegments(topology)
        : [];
  const hints = hintsFor(incidents, verdict, legs, evidence.pressure, t, topology);
  return assembleVerdict({
    topology,
    verdict,
    from: evidence.from,
    to: evidence.to,
    suspects,
    incidents,
    legs,
    hints,
    user,
  });
}

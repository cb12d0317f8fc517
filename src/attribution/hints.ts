import { formatDuration } from './duration';
import { KNOWN_CAUSES, type KnownCauseId, runbookRow } from './runbook';
import { isProbeHost, legByName, PROBE_SEGMENT, probeSegmentOf, serveSegment, userOfSegment } from './topology';
import { peerStallAdvice, refusalsAdvice } from './wording';
import type { Hint, Incident, Pressure, Thresholds, Topology, VerdictKind, WindowLegSummary } from './types';

const pct = (rate: number): string => `${Math.round(rate * 100)}%`;

/** The worst host pressure worth mentioning, or null when devvm was calm (or unmeasured). */
function pressureHint(pressure: Pressure | undefined, t: Thresholds): Hint | null {
  if (!pressure) {
    return null;
  }
  const signs: string[] = [];
  const check = (value: number | null | undefined, limit: number, label: string): void => {
    if (typeof value === 'number' && Number.isFinite(value) && value >= limit) {
      signs.push(`${label} ${pct(value)} of the time`);
    }
  };
  check(pressure.ioFull, t.psiFull, 'fully stalled on IO');
  check(pressure.memoryFull, t.psiFull, 'fully stalled on memory');
  check(pressure.ioSome, t.psiSome, 'partly stalled on IO');
  check(pressure.memorySome, t.psiSome, 'partly stalled on memory');
  if (signs.length === 0) {
    return null;
  }
  return {
    kind: 'devvm_pressure',
    text: `devvm was under pressure: ${signs.join(', ')}. A runaway agent swap-thrashing the disk freezes serve.`,
    runbook: '§3',
  };
}

/** Where cloudflared and its QUIC tunnel live (runbook §4.2, §4.3): a segment of the Cloudflare row. */
const TUNNEL_SEGMENT = 'tunnel';

/** The hint that an incident matches a known cause, in the runbook's words. */
function causeHint(id: KnownCauseId): Hint {
  const c = KNOWN_CAUSES[id];
  return { kind: c.hint, text: `Matches ${c.title}: ${c.text}.`, runbook: c.runbook };
}

/**
 * Known root causes (runbook §4) whose signature an incident matches. Where each lives comes from the
 * attribution table (the Cloudflare row's segments) and the topology (the segment in serve's role), so a
 * custom topology gets the serve-side hints for its own last segment.
 */
function knownCauseHints(incident: Incident, pressure: Hint | null, topology: Topology): Hint[] {
  const hints: Hint[] = [];
  const suspects = incident.suspects;
  const cloudflare = runbookRow('cloudflare').segments;
  // Both Cloudflare-side causes live in the tunnel: a fault the legs pin to the WAN or the edge, with the
  // tunnel cleared (the finer edge leg dropped too), is neither.
  const inTunnel = suspects.includes(TUNNEL_SEGMENT);
  if (inTunnel && suspects.every((s) => cloudflare.includes(s))) {
    const failedRetries = incident.evidence.some((e) => e.role === 'failed') && incident.minFaultMs > 0;
    const tunnelErrors = incident.reasons.some((r) => r === 'http_5xx' || r === 'unexpected_response');
    const broke = incident.kind === 'break';
    hints.push(causeHint(broke && (failedRetries || tunnelErrors) ? 'cloudflaredRestart' : 'quicChurn'));
  }
  const serve = serveSegment(topology);
  const atServe = serve !== undefined && suspects.includes(serve);
  // A storm freezes the whole box; a user's own instance alone is a fault inside their cgroup.
  if (atServe && pressure && incident.legs.length >= 2) {
    hints.push(causeHint('devvmStorm'));
  }
  if ((atServe || atUserInstance(incident, topology)) && incident.reasons.includes('refused')) {
    hints.push(causeHint('serveDown'));
  }
  return hints;
}

/** An incident that suspects a user's own serve instance. */
function atUserInstance(incident: Incident, topology: Topology): boolean {
  return incident.suspects.some((s) => userOfSegment(topology, s) !== undefined);
}

export function hintsFor(
  incidents: readonly Incident[],
  verdict: VerdictKind,
  legs: readonly WindowLegSummary[],
  pressure: Pressure | undefined,
  t: Thresholds,
  topology: Topology
): Hint[] {
  const hints: Hint[] = [];
  const missing = legs.filter((l) => !l.hasData).map((l) => l.leg);
  if (missing.length > 0) {
    hints.push({
      kind: 'missing_data',
      text: `No data for ${missing.join(', ')} over the whole window: infra cannot be cleared for what ${missing.length === 1 ? 'that leg' : 'those legs'} would have seen.`,
    });
  }
  // The hosts of the probes that stalled: this probe's (`probe`) and peers' (`probe.<peer>`).
  const stalled = new Set([
    ...legs.filter((l) => l.noDataCause === 'probe_stall').map((l) => probeSegmentOf(legByName(topology, l.leg) ?? {})),
    ...incidents
      .filter((i) => i.kind !== 'config' && i.suspects.length > 0 && i.suspects.every(isProbeHost))
      .flatMap((i) => i.suspects),
  ]);
  if (stalled.has(PROBE_SEGMENT.id)) {
    hints.push({
      kind: 'probe_stall',
      text: "The probe's own host stalled (event loop or clock): its legs looked dead at once. No path segment is blamed; check the probe's CPU and memory.",
    });
  }
  const peers = [...stalled].filter((id) => id !== PROBE_SEGMENT.id);
  if (peers.length > 0) {
    hints.push({ kind: 'probe_stall', text: peerStallAdvice(topology, peers) });
  }
  if (incidents.some((i) => i.kind === 'config')) {
    hints.push({ kind: 'probe_config', text: `Not infra: ${refusalsAdvice(incidents)}.` });
  }
  const serve = serveSegment(topology);
  const suspectsServe = incidents.some(
    (i) => (serve !== undefined && i.suspects.includes(serve)) || atUserInstance(i, topology)
  );
  const pressureSign = pressureHint(pressure, t);
  if (pressureSign && (suspectsServe || verdict !== 'exonerated')) {
    hints.push(pressureSign);
  }
  for (const incident of incidents) {
    if (incident.reasons.length === 0 && incident.legs.length > 0) {
      hints.push({
        kind: 'rtt_spike',
        text: `${incident.legs.join(', ')} round trips spiked to ${formatDuration(incident.minFaultMs)} without dropping: a stall shorter than the watchdog. Clients with a shorter watchdog may have dropped.`,
        runbook: '§1',
      });
    }
  }
  for (const incident of incidents) {
    for (const hint of knownCauseHints(incident, pressureSign, topology)) {
      if (!hints.some((h) => h.kind === hint.kind)) {
        hints.push(hint);
      }
    }
  }
  return hints;
}

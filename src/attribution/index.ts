/**
 * The attribution engine: given what each probe leg saw, which segment of the path is at fault, or is
 * infra clean. Pure TypeScript: no I/O, no React, no Node or DOM API, so the probe and the browser share it.
 * Only what the probe, the plugin, tests, benchmarks and scripts import is exported here.
 *
 * Files: types (the data model) · topology (segments, legs, validation) · leg-types (what a leg type means
 * for detection) · reasons · timeline (events → outages, runs, probe stalls) · fault-timing, clustering
 * (outages → one fault each) · judging (a healthy leg against a fault) · suspects (the suspect rule) ·
 * explaining (every failing leg explained on its own path: faults at once split) · incidents (the
 * orchestration), slow-round-trips, refusal-incidents · records (incidents, evidence and leg
 * summaries built complete) · window and aggregate (a window's verdict, from events or from Prometheus) ·
 * verdict · hints · runbook (the runbook's table and known causes) · wording (every sentence, said from data).
 */
export * from './types';
export { parseDuration, formatDuration } from './duration';
export { ALL_REASONS, faultKindOf } from './reasons';
export { EVENT_TYPES } from './timeline';
export {
  DEFAULT_TOPOLOGY,
  TopologyError,
  validateTopology,
  normalizeTopology,
  usersOf,
  userSegmentId,
  checkPeerName,
  isProbeHost,
  peerSegmentId,
} from './topology';
export { DEFAULT_THRESHOLDS } from './thresholds';
export { buildIncidents } from './incidents';
export { userView, incidentForUser } from './users';
export { attributeWindow } from './window';
export { verdictFromAggregates, type AggregateEvidence, type LegAggregate } from './aggregate';
export { ATTRIBUTION_TABLE, KNOWN_CAUSES } from './runbook';

/**
 * The attribution engine: given what each probe leg saw, which segment of the path is at fault, or is
 * infra clean. Pure TypeScript: no I/O, no React, no Node or DOM API, so the probe and the browser share it.
 */
export * from './types';
export { parseDuration, formatDuration } from './duration';
export { ALL_REASONS, faultKindOf } from './reasons';
export {
  DEFAULT_SEGMENTS,
  DEFAULT_TOPOLOGY,
  PROBE_SEGMENT,
  TopologyError,
  validateTopology,
  normalizeTopology,
  unmonitoredSegments,
  inPathOrder,
} from './topology';
export { stallDetectionMs, breakDetectionMs } from './leg-types';
export { DEFAULT_THRESHOLDS } from './thresholds';
export { readTimeline, sortEvents, covered, type Timeline, type Run } from './timeline';
export { buildIncidents, incidentsFromTimeline, type IncidentOptions } from './incidents';
export { attributeWindow, type WindowInput } from './window';
export { verdictFromAggregates, type AggregateEvidence, type LegAggregate } from './aggregate';
export { hintsFor, pressureHint } from './hints';
export { ATTRIBUTION_TABLE, KNOWN_CAUSES, matchRunbookRow, type RunbookRow } from './runbook';
export { meaningOf, describeSegments, segmentName } from './wording';

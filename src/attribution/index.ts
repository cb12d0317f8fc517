/**
 * The attribution engine: given what each probe leg saw, which segment of the path is at fault, or is
 * infra clean. Pure TypeScript: no I/O, no React, no Node or DOM API, so the probe and the browser share it.
 * Only what the probe, the plugin, the tests, the benchmarks and the scripts import is exported here.
 */
export * from './types';
export { parseDuration, formatDuration } from './duration';
export { ALL_REASONS, faultKindOf } from './reasons';
export { DEFAULT_TOPOLOGY, TopologyError, validateTopology, normalizeTopology } from './topology';
export { DEFAULT_THRESHOLDS } from './thresholds';
export { buildIncidents } from './incidents';
export { attributeWindow } from './window';
export { verdictFromAggregates, type AggregateEvidence, type LegAggregate } from './aggregate';
export { ATTRIBUTION_TABLE, KNOWN_CAUSES } from './runbook';

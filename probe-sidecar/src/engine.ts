// The one place the probe reaches into the attribution engine, so the relative path lives here only.
export * from '../../src/attribution/index.js';
export type * from '../../src/attribution/types.js';

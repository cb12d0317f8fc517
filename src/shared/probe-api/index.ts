/**
 * The probe-API contract: the wire types of every route's answer (answers.ts) and the readers that check an
 * unknown JSON body into them (read.ts). Typed fakes for tests: fakes.ts (imported directly, not from here).
 */
export type * from './answers';
export * from './read';

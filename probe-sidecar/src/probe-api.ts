// The one place the probe reaches into the API contract it serves (src/shared/probe-api), so the relative
// path lives here only. The handlers use the answers' wire types, a peer link reads a peer's answers with the
// contract's readers; the contract test (api/contract.test.ts) holds the answers to those readers and fakes.
export type * from '../../src/shared/probe-api/answers.js';
export { readAnswer, type ProbeReads } from '../../src/shared/probe-api/read.js';
export { fakeEventsAnswer, fakeLeg, fakeLegsAnswer, fakeTopologyAnswer } from '../../src/shared/probe-api/fakes.js';

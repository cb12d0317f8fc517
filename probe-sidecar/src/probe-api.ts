// The one place the probe reaches into the API contract it serves (src/shared/probe-api), so the relative
// path lives here only. The probe's code imports only the answers' wire types (erased from the bundle); its
// contract test (api/contract.test.ts) holds its answers to the plugin's readers and the contract's fakes.
export type * from '../../src/shared/probe-api/answers.js';
export { readAnswer } from '../../src/shared/probe-api/read.js';
export { fakeTopologyAnswer } from '../../src/shared/probe-api/fakes.js';

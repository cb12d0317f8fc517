// Replaced by esbuild at build time (build.mjs); unit tests run unbundled and see the fallback.
declare const __T3PROBE_VERSION__: string | undefined;

export const VERSION: string = typeof __T3PROBE_VERSION__ === 'string' ? __T3PROBE_VERSION__ : '0.0.0-dev';

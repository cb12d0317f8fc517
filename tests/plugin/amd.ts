/**
 * What a built module.js asks its loader for: the dependency list of its AMD `define([...], factory)`,
 * less AMD's own `require`, `exports` and `module`, and which of those names a Grafana version's
 * shared-module list lacks.
 */
const AMD_RESERVED = new Set(['require', 'exports', 'module']);

/** Every dependency in the define() header, AMD's reserved names included; throws when there is none. */
export function defineDependencies(code: string): string[] {
  const header = /^define\((\[[^\]]*\])\s*,/.exec(code);
  if (!header) {
    throw new Error('the module does not start with define([...],');
  }
  return JSON.parse(header[1]!) as string[];
}

/** The modules the loader must supply: the define() dependencies less AMD's reserved names. */
export const importedModules = (code: string): string[] =>
  defineDependencies(code).filter((dep) => !AMD_RESERVED.has(dep));

/** The imported modules `shared` lacks, i.e. why such a Grafana would answer "Could not load plugin". */
export const unsharedImports = (code: string, shared: readonly string[]): string[] =>
  importedModules(code).filter((dep) => !shared.includes(dep));

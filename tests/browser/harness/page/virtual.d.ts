/** The module bundle.ts generates from the emulated version's shared-module list: each name → its module namespace. */
declare module 'virtual:grafana-shared-modules' {
  export const sharedModules: Record<string, object>;
}

/**
 * Grafana's own router, installed below @grafana/ui (the bundler resolves it from there): it re-exports
 * react-router 6's components, whose types the repository has.
 */
declare module 'react-router-dom-v5-compat' {
  export * from 'react-router';
}

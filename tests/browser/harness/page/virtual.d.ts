/** The module bundle.ts generates from GRAFANA_SHARED_MODULES: each shared name → its module namespace. */
declare module 'virtual:grafana-shared-modules' {
  export const sharedModules: Record<string, object>;
}

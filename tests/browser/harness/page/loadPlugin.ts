/**
 * Loads a plugin module the way Grafana does: System.import of the `module` its meta names
 * (`public/plugins/<id>/…/module.js`), resolved against the page's <base href>, with Grafana's cache
 * buster `?_cache=<plugin version>`, and takes its `plugin` export. The metas come from the boot data,
 * which holds only enabled plugins.
 */
declare const System: { import(url: string): Promise<Record<string, unknown>> };

export interface PluginModuleMeta {
  id: string;
  module: string;
  info: { version: string };
}

export async function loadPlugin<T>(meta: PluginModuleMeta): Promise<T> {
  const url = new URL(meta.module, document.baseURI);
  url.searchParams.set('_cache', meta.info.version);
  const exports = await System.import(url.href);
  if (!exports.plugin) {
    throw new Error(`${meta.module} does not export \`plugin\``);
  }
  return exports.plugin as T;
}

/**
 * Loads a plugin module the way Grafana does: System.import of `public/plugins/<id>/…/module.js`,
 * resolved against the page's <base href>, and takes its `plugin` export.
 */
declare const System: { import(url: string): Promise<Record<string, unknown>> };

export const APP_BASE = 'public/plugins/t3-dropattribution-app';

export async function loadPlugin<T>(modulePath: string): Promise<T> {
  const exports = await System.import(new URL(modulePath, document.baseURI).href);
  if (!exports.plugin) {
    throw new Error(`${modulePath} does not export \`plugin\``);
  }
  return exports.plugin as T;
}

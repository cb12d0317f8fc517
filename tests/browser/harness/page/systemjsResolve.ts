/**
 * Grafana's loader wraps SystemJS's resolve: a name SystemJS cannot resolve (a bare specifier the
 * import map does not cover, i.e. a module this Grafana does not share) is handed back as is, so
 * SystemJS fetches it as a URL below the page's base and the plugin fails to load with a 404 for, say,
 * /react/jsx-runtime — as "Could not load plugin" does in Grafana.
 */
interface SystemJsPrototype {
  resolve(this: unknown, id: string, parentUrl?: string): string;
}

declare const System: { constructor: { prototype: SystemJsPrototype } };

export function resolveUnknownNamesAsGrafanaDoes(): void {
  const prototype = System.constructor.prototype;
  const resolve = prototype.resolve;
  prototype.resolve = function (id, parentUrl) {
    try {
      return resolve.call(this, id, parentUrl);
    } catch {
      console.log(`SystemJS: failed to resolve '${id}'`);
      return id;
    }
  };
}

/**
 * Builds the plugin with the product's webpack configuration into a directory of the test's own, with
 * some plugins' entry swapped for a test fixture (the public-path module stays first): the build as it
 * is, exercised on code the product does not carry.
 */
import path from 'node:path';
import webpack, { type Configuration } from 'webpack';
import config from '../../.config/webpack.config';
import { DIST } from './build';

/** Plugin folder in dist/ ('' for the app, 'panel', 'datasource') → the entry file to build instead. */
type Entries = Partial<Record<string, string>>;

function retarget(plugin: Configuration, outDir: string, entries: Entries): Configuration {
  const folder = path.relative(DIST, plugin.output!.path!);
  const fixture = entries[folder];
  const [publicPath] = (plugin.entry as { module: string[] }).module;
  return {
    ...plugin,
    ...(fixture === undefined ? {} : { entry: { module: [publicPath!, fixture] } }),
    output: { ...plugin.output, path: path.join(outDir, folder) },
  };
}

export async function buildVariant(outDir: string, entries: Entries): Promise<void> {
  const configs = config(undefined, { mode: 'production' }).map((plugin) => retarget(plugin, outDir, entries));
  const stats = await new Promise<webpack.MultiStats>((resolve, reject) =>
    webpack(configs, (error, result) => (error || !result ? reject(error ?? new Error('no stats')) : resolve(result)))
  );
  if (stats.hasErrors()) {
    throw new Error(`variant build failed:\n${stats.toString('errors-only')}`);
  }
}

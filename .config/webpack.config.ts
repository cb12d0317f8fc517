/**
 * Builds the Grafana app plugin and its nested panel and datasource into `dist/` the way Grafana loads
 * them: one AMD `module.js` per plugin (Grafana's SystemJS loader calls `define`), Grafana's shared
 * modules left external, plugin.json files with the package version stamped in, logo and docs copied.
 * Run: NODE_OPTIONS='--import tsx' webpack -c .config/webpack.config.ts --disable-interpret --mode production
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { APP_ID, GRAFANA_SHARED_MODULES } from './grafanaShared';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

/** `src/panel/module` → the .tsx or .ts file that exists, so either spelling of an entry builds. */
function entry(base: string): string {
  for (const ext of ['.tsx', '.ts']) {
    const file = path.join(root, base + ext);
    if (existsSync(file)) {
      return file;
    }
  }
  throw new Error(`plugin entry ${base}.ts(x) does not exist`);
}

/** plugin.json placeholders Grafana's own tool chain uses; anything else in the file is kept as written. */
function stampPluginJson(content: Buffer): string {
  const today = new Date().toISOString().slice(0, 10);
  return content.toString('utf8').replaceAll('%VERSION%', pkg.version).replaceAll('%TODAY%', today);
}

const nestedPlugins = ['panel', 'datasource'] as const;

export default (_env: unknown, argv: { mode?: Configuration['mode'] }): Configuration => {
  const production = argv.mode !== 'development';
  return {
    context: root,
    mode: production ? 'production' : 'development',
    // Grafana resolves each plugin's module.js separately; no runtime chunk may be shared between them.
    entry: {
      module: entry('src/module'),
      'panel/module': entry('src/panel/module'),
      'datasource/module': entry('src/datasource/module'),
    },
    target: 'web',
    devtool: production ? false : 'eval-source-map',
    externalsType: 'amd',
    externals: [...GRAFANA_SHARED_MODULES],
    output: {
      path: path.join(root, 'dist'),
      filename: '[name].js',
      chunkFilename: '[name].[contenthash:8].js',
      clean: true,
      library: { type: 'amd' },
      // Relative, so Grafana's <base href> (sub-path installs) decides the origin of lazy chunks.
      publicPath: `public/plugins/${APP_ID}/`,
      // Keeps this plugin's chunk-loading global apart from every other plugin's on the same page.
      uniqueName: APP_ID,
    },
    resolve: {
      extensions: ['.tsx', '.ts', '.js', '.jsx', '.json'],
      // Sources import siblings with `.js` suffixes (ESM style); map them back to the TypeScript files.
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    },
    module: {
      rules: [
        {
          test: /\.[cm]?[jt]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                parser: { syntax: 'typescript', tsx: true },
                // Grafana 12 and 13 support only evergreen browsers.
                target: 'es2020',
                // `react/jsx-runtime` exists in React 18 and 19 alike, and Grafana shares it.
                transform: { react: { runtime: 'automatic' } },
              },
            },
          },
        },
      ],
    },
    optimization: { splitChunks: false },
    performance: { hints: false },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'plugin.json', to: 'plugin.json', transform: stampPluginJson },
          ...nestedPlugins.flatMap((dir) => [
            { from: `src/${dir}/plugin.json`, to: `${dir}/plugin.json`, transform: stampPluginJson },
            // Grafana resolves a nested plugin's logo below that plugin's own folder.
            { from: 'src/img', to: `${dir}/img` },
          ]),
          { from: 'src/img', to: 'img' },
          { from: 'src/README.md', to: 'README.md' },
          { from: 'CHANGELOG.md', to: 'CHANGELOG.md' },
          { from: 'LICENSE', to: 'LICENSE', noErrorOnMissing: true },
        ],
      }),
    ],
  };
};

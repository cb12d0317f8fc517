/**
 * Builds the Grafana app plugin and its nested panel and datasource into `dist/` the way Grafana loads
 * them: one AMD `module.js` per plugin in its own folder (Grafana's SystemJS loader calls `define`),
 * Grafana's shared modules left external, the public path taken from the module's URL at run time,
 * plugin.json files with the package version stamped in, logo and docs copied.
 * Run: NODE_OPTIONS='--import tsx' webpack -c .config/webpack.config.ts --disable-interpret --mode production
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { GRAFANA_SHARED_MODULES } from './grafanaShared';

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

/** The app and its nested plugins: each built alone into its own folder of dist/, chunks included. */
const PLUGINS = [
  { folder: '', source: 'src', pluginJson: 'plugin.json' },
  { folder: 'panel', source: 'src/panel', pluginJson: 'src/panel/plugin.json' },
  { folder: 'datasource', source: 'src/datasource', pluginJson: 'src/datasource/plugin.json' },
] as const;

const NESTED_FOLDERS = PLUGINS.map((p) => p.folder).filter((folder) => folder !== '');

type Plugin = (typeof PLUGINS)[number];

const idOf = (plugin: Plugin) =>
  (JSON.parse(readFileSync(path.join(root, plugin.pluginJson), 'utf8')) as { id: string }).id;

/** Grafana serves every nested plugin below its app's folder, public/plugins/<app id>/. */
const APP_ID = idOf(PLUGINS[0]);

/** Files only the app carries: its README, the CHANGELOG and the LICENSE. */
const APP_FILES = [
  { from: 'src/README.md', to: 'README.md' },
  { from: 'CHANGELOG.md', to: 'CHANGELOG.md' },
  { from: 'LICENSE', to: 'LICENSE', noErrorOnMissing: true },
];

function pluginConfig(plugin: Plugin, production: boolean): Configuration {
  const id = idOf(plugin);
  const isApp = plugin.folder === '';
  return {
    name: id,
    context: root,
    mode: production ? 'production' : 'development',
    // The public path is set from the module's own URL before the plugin's code runs.
    entry: { module: [path.join(root, '.config/publicPath.ts'), entry(`${plugin.source}/module`)] },
    target: 'web',
    devtool: production ? false : 'eval-source-map',
    externalsType: 'amd',
    // `amd-module` is SystemJS's AMD `module` dependency, which carries the module's URL.
    externals: [...GRAFANA_SHARED_MODULES, { 'amd-module': 'module' }],
    output: {
      path: path.join(root, 'dist', plugin.folder),
      filename: '[name].js',
      chunkFilename: '[name].[contenthash:8].js',
      // The app's build leaves its nested plugins' folders to their own builds.
      clean: isApp
        ? { keep: (file: string) => NESTED_FOLDERS.some((f) => file === f || file.startsWith(`${f}/`)) }
        : true,
      library: { type: 'amd' },
      // Only where a chunk was built to be; at run time publicPath.ts sets the real base URL.
      publicPath: `public/plugins/${APP_ID}/${plugin.folder ? `${plugin.folder}/` : ''}`,
      // Keeps this plugin's chunk-loading global apart from every other plugin's on the same page.
      uniqueName: id,
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
                // `react/jsx-runtime`: Grafana shares it from 12.3.0, the oldest version plugin.json admits.
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
          { from: plugin.pluginJson, to: 'plugin.json', transform: stampPluginJson },
          // Grafana resolves each plugin's logo below that plugin's own folder.
          { from: 'src/img', to: 'img' },
          ...(isApp ? APP_FILES : []),
        ],
      }),
    ],
  };
}

/**
 * One compilation per plugin, so each one's lazy chunks sit in its own folder next to its module.js,
 * where its run-time public path points.
 */
export default (_env: unknown, argv: { mode?: Configuration['mode'] }): Configuration[] =>
  PLUGINS.map((plugin) => pluginConfig(plugin, argv.mode !== 'development'));

/**
 * The modules the build leaves for Grafana to provide at run time (through SystemJS), and the build
 * check asserts none of them is inlined. Every one must be shared by every Grafana version plugin.json's
 * `grafanaDependency` admits: the build checks hold each module.js's imports to the per-version lists
 * of tests/browser/harness/grafanaVersions.ts, which the browser harness registers. `react/jsx-runtime`
 * is why the range starts at 12.3.0. `react-router-dom` is deliberately absent: Grafana shares v5 under
 * that name, and the plugin bundles its v6 (on Grafana's `react-router`).
 */
export const GRAFANA_SHARED_MODULES = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  'rxjs',
  'rxjs/operators',
  'lodash',
  '@emotion/css',
  '@emotion/react',
  'moment',
  'i18next',
  'react-redux',
  'redux',
  'd3',
  'jquery',
  'react-router',
] as const;

export type GrafanaSharedModule = (typeof GRAFANA_SHARED_MODULES)[number];

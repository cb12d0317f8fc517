/**
 * The modules Grafana itself provides to plugins at run time (through SystemJS). The build keeps them
 * external, the build check asserts none of them is inlined, and the browser harness registers the real
 * packages under exactly these names — one list so the three can never disagree.
 * `react-router-dom` is deliberately absent: plugins bundle it (Grafana maps only `react-router`).
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

export const APP_ID = 't3-dropattribution-app';

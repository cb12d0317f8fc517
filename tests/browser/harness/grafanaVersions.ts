/**
 * What each Grafana version shares with plugins at run time: the bare names its SystemJS import map
 * provides (Grafana's public/app/features/plugins/loader/sharedDependencies.ts; the facts are in
 * ../shared/grafana-platform.md, "How Grafana loads a plugin"), which React it runs, and the Grafana
 * versions the harness emulates. The one source of these facts: the harness registers exactly a
 * version's list, and the build checks hold every module.js to the list of every version its
 * `grafanaDependency` admits.
 */
import { compareVersions, parseVersion } from './versionRange';

/** Shared by every Grafana 12 and 13. */
const ALWAYS_SHARED = [
  'react',
  'react-dom',
  '@grafana/data',
  '@grafana/data/unstable',
  '@grafana/ui',
  '@grafana/ui/unstable',
  '@grafana/runtime',
  '@grafana/runtime/unstable',
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
  'prismjs',
  'slate',
  'react-inlinesvg',
  // react-router-dom 5: a plugin on v6 must bundle it.
  'react-router-dom',
  // react-router-dom-v5-compat, a 6.x without some UNSAFE_* exports of the real react-router 6.
  'react-router',
] as const;

const JSX_RUNTIME = ['react/jsx-runtime', 'react/jsx-dev-runtime'] as const;
const REACT_DOM_ENTRIES = ['react-dom/client', 'react-dom/server'] as const;

export type SharedModule =
  (typeof ALWAYS_SHARED)[number] | (typeof JSX_RUNTIME)[number] | (typeof REACT_DOM_ENTRIES)[number];

/** The package Grafana's own frontend takes a shared name from, where it is not the name itself. */
export const GRAFANA_PACKAGE_OF: Partial<Record<SharedModule, string>> = {
  'react-router': 'react-router-dom-v5-compat',
};

/** Patch releases that added the JSX runtime to an older minor: 11.6.11, 12.0.10, 12.1.7, 12.2.5. */
const JSX_RUNTIME_BACKPORTS: Record<string, number> = { '11.6': 11, '12.0': 10, '12.1': 7, '12.2': 5 };

function sharesJsxRuntime(version: string): boolean {
  const [major, minor, patch] = parseVersion(version);
  if (compareVersions([major, minor, patch], [12, 3, 0]) >= 0) {
    return true;
  }
  const from = JSX_RUNTIME_BACKPORTS[`${major}.${minor}`];
  return from !== undefined && patch >= from;
}

/** "The newest Grafana" (13.2, current as of the platform notes) also shares react-dom's entry points. */
const sharesReactDomEntries = (version: string) => compareVersions(parseVersion(version), [13, 2, 0]) >= 0;

/** The bare names Grafana `version` (e.g. "12.2.4") lets a plugin module import. */
export function sharedModules(version: string): SharedModule[] {
  return [
    ...ALWAYS_SHARED,
    ...(sharesJsxRuntime(version) ? JSX_RUNTIME : []),
    ...(sharesReactDomEntries(version) ? REACT_DOM_ENTRIES : []),
  ];
}

/** Grafana 12.x, 13.0 and 13.1 run React 18; 13.2 and later React 19. */
export function reactMajorOf(version: string): 18 | 19 {
  return compareVersions(parseVersion(version), [13, 2, 0]) >= 0 ? 19 : 18;
}

/**
 * The versions the harness emulates. 12.2.4: the last 12.2 without the JSX runtime; 12.3.0: the first
 * minor with it (the oldest the plugin declares); 12.4.10: a late 12.x; 13.2.3: the current Grafana.
 * The frontend packages standing in for each are those of its React: @grafana/* 12.4.10 on React 18
 * (tests/browser/grafana12) or 13.2.3 on React 19 (the repository's own).
 */
export const EMULATED_VERSIONS = ['12.2.4', '12.3.0', '12.4.10', '13.2.3'] as const;

export type EmulatedVersion = (typeof EMULATED_VERSIONS)[number];

export const DEFAULT_VERSION: EmulatedVersion = '13.2.3';

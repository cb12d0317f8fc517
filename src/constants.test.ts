/**
 * The app's id and routes are written once in constants.ts and once in plugin.json, which Grafana reads:
 * the build serves the app below its plugin.json id, the router and every link use constants.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_BASE_URL, APP_ID, ROUTES } from './constants';

const pluginJson = JSON.parse(readFileSync(resolve(__dirname, '../plugin.json'), 'utf8')) as {
  id: string;
  includes: Array<{ type: string; path: string }>;
};

describe('constants.ts agrees with plugin.json', () => {
  it('APP_ID is the app id plugin.json declares, the design’s t3-dropattribution-app', () => {
    expect(APP_ID).toBe(pluginJson.id);
    expect(APP_ID).toBe('t3-dropattribution-app');
    expect(APP_BASE_URL).toBe(`/a/${pluginJson.id}`);
  });

  it('every page plugin.json puts in the navigation is a route the app serves, and every route has a page', () => {
    const pages = pluginJson.includes.filter((include) => include.type === 'page').map((include) => include.path);
    expect(pages.sort()).toEqual(
      Object.values(ROUTES)
        .map((route) => `${APP_BASE_URL}/${route}`)
        .sort()
    );
  });
});

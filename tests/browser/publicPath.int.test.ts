/**
 * Lazy chunks of a nested plugin load from the folder its module.js was loaded from, whatever base URL
 * Grafana gives the plugin: the build sets webpack's public path from the module's own URL at run time.
 * The product has no lazy chunk, so a variant is built with the product's webpack configuration and the
 * panel's entry swapped for a fixture with one (tests/plugin/fixtures/lazyPanel), then loaded from the
 * app's folder and from a plugin-CDN-like base URL, each in a page of its own.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVariant } from '../plugin/variant';
import { APP_ID } from '../../src/constants';
import { openPage, PLUGIN_CDN_BASE, startHarness, type Harness } from './harness';

const FIXTURE = path.resolve(import.meta.dirname, '../plugin/fixtures/lazyPanel/module.ts');

let outDir: string;
let harness: Harness;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 't3-lazy-variant-'));
  await buildVariant(outDir, { panel: FIXTURE });
  harness = await startHarness({ dist: outDir });
}, 180_000);

afterAll(async () => {
  await harness?.close();
  if (outDir) {
    rmSync(outDir, { recursive: true, force: true });
  }
});

it("the variant's lazy chunk sits next to the panel's module.js, not at the app's root", () => {
  const chunks = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'module.js');
  expect(chunks(path.join(outDir, 'panel'))).toHaveLength(1);
  expect(chunks(outDir)).toEqual([]);
  expect(existsSync(path.join(outDir, 'panel/plugin.json'))).toBe(true);
});

describe.each([
  ['the app folder, with Grafana cache buster', `/public/plugins/${APP_ID}/panel/`, '?_cache=0.1.0'],
  ['a plugin-CDN-like base URL', `${PLUGIN_CDN_BASE}panel/`, ''],
])('the nested panel loaded from %s', (_, base, query) => {
  it('loads its lazy chunk from its own folder', async () => {
    const view = await openPage(harness, '/');
    const answer = await view.page.evaluate(
      async (url) => {
        const system = (globalThis as unknown as { System: { import(u: string): Promise<Record<string, unknown>> } })
          .System;
        const module = await system.import(url);
        return (module.lazyAnswer as () => Promise<string>)();
      },
      new URL(`${base}module.js${query}`, harness.url).href
    );
    expect(answer).toBe('from the lazy chunk');
    const scripts = await view.page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => new URL(entry.name).pathname)
        .filter((p) => p.endsWith('.js') && !p.startsWith('/harness/'))
    );
    expect(scripts).toHaveLength(2);
    expect(scripts[0]).toBe(`${base}module.js`);
    expect(scripts[1]!.startsWith(base)).toBe(true);
    expect(harness.notFound).toEqual([]);
    expect(view.problems).toEqual([]);
    await view.page.context().close();
  });
});

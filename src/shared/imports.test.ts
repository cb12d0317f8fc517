/**
 * The app (pages), the panel and the datasource are three plugins: none imports another's folder. What
 * several of them use lives in src/shared, which imports none of them; src/lib is the app's own and
 * imports no page. src/components holds what the app and the panel both draw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..');
const PLUGINS = ['pages', 'panel', 'datasource'];

/** What each top folder of src/ may not import from (files of its own folder are always allowed). */
const FORBIDDEN: Record<string, readonly string[]> = {
  pages: ['panel', 'datasource'],
  panel: ['pages', 'datasource', 'lib'],
  datasource: ['pages', 'panel', 'lib'],
  lib: ['pages', 'panel', 'datasource'],
  shared: ['pages', 'panel', 'datasource', 'lib', 'components'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []
  );
}

/** The top folder of src/ each relative import (static, dynamic, or mocked) of `file` lands in. */
function importedFolders(file: string, text = readFileSync(file, 'utf8')): Array<{ spec: string; folder: string }> {
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|vi\.mock\(\s*|^import\s+)'([^']+)'/gm)].map(
    (m) => m[1] as string
  );
  return specs
    .filter((s) => s.startsWith('.'))
    .map((spec) => ({ spec, folder: relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0] ?? '' }));
}

const checked = Object.keys(FORBIDDEN).flatMap((top) =>
  filesUnder(join(SRC, top)).map((file) => ({ top, file: relative(SRC, file) }))
);

describe('plugin folders', () => {
  it('has sources to check in every plugin folder', () => {
    for (const p of PLUGINS) {
      expect(checked.filter((c) => c.top === p).length, p).toBeGreaterThan(3);
    }
  });

  it('finds a cross-plugin import when there is one', () => {
    const text = "import { a } from '../../panel/options';\nvi.mock('../../datasource/DataSource');\nimport './x';\n";
    expect(importedFolders(join(SRC, 'pages/triage/x.ts'), text).map((i) => i.folder)).toEqual([
      'panel',
      'datasource',
      'pages',
    ]);
  });

  it.each(checked)('$file imports no other plugin folder', ({ top, file }) => {
    const bad = importedFolders(join(SRC, file)).filter((i) => FORBIDDEN[top]?.includes(i.folder));
    expect(bad.map((i) => i.spec)).toEqual([]);
  });
});

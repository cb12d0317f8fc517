/** The engine is shared by the browser and the probe: it may import nothing but itself. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = __dirname;
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => join(dir, f));

describe('engine purity', () => {
  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(5);
  });

  it.each(sources)('%s imports only the engine', (file) => {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] as string);
    expect(imports.filter((i) => !i.startsWith('./'))).toEqual([]);
    expect(text).not.toMatch(
      /\b(require\(|process\.[a-z]|window\.[a-z]|document\.[a-z]|fetch\(|setTimeout\(|Date\.now\()/
    );
  });
});

/** Sizes of the built plugin's module.js files (app, panel, datasource), raw and gzipped (level 9). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST } from '../../tests/plugin/build';

const MODULES = ['module.js', 'panel/module.js', 'datasource/module.js'] as const;

interface ModuleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export function moduleSizes(): ModuleSize[] {
  return MODULES.map((file) => {
    const content = readFileSync(path.join(DIST, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
}

// The file operations the store needs, behind an interface so tests can inject failures (ENOSPC).
import { appendFile, mkdir, open, readFile, readdir, truncate, unlink } from 'node:fs/promises';

export interface StoreFs {
  mkdir(dir: string): Promise<void>;
  /** File names in `dir`. */
  readdir(dir: string): Promise<string[]>;
  readFile(file: string): Promise<string>;
  /** Appends `data` with one write (O_APPEND). */
  append(file: string, data: string): Promise<void>;
  fsync(file: string): Promise<void>;
  truncate(file: string, length: number): Promise<void>;
  unlink(file: string): Promise<void>;
}

export const nodeFs: StoreFs = {
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  readdir: (dir) => readdir(dir),
  readFile: (file) => readFile(file, 'utf8'),
  append: (file, data) => appendFile(file, data, 'utf8'),
  fsync: async (file) => {
    const fh = await open(file, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  truncate: (file, length) => truncate(file, length),
  unlink: (file) => unlink(file),
};

// Typed reads from parsed YAML with the key path in every error, so a bad config names its key.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDuration } from '../engine.js';
import { ConfigError } from './error.js';

export type Obj = Record<string, unknown>;

const MAX_QUOTED = 80;
/** setTimeout's limit (2^31 − 1 ms, about 24.8 days): a longer delay fires after 1 ms instead. */
const MAX_TIMER_MS = 2_147_483_647;

/** Cuts a problem text that quotes a huge value (the engine quotes names in full) to one readable line. */
export function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

export function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'string') {
    // A pasted certificate or a 1 MB value must not turn the one-line error into a wall of text.
    return value.length > MAX_QUOTED
      ? `${JSON.stringify(value.slice(0, MAX_QUOTED))}… (${value.length} characters)`
      : JSON.stringify(value);
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  return `${typeof value} ${String(value)}`;
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`;
  }
  return path ? `${path}.${key}` : key;
}

/** A mapping whose keys must all be among `allowed`. */
export function mapping(value: unknown, path: string, allowed: readonly string[]): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(path, `expected a mapping, got ${describe(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(join(path, key), `unknown key (allowed here: ${allowed.join(', ')})`);
    }
    // `interval:` with nothing after it is YAML null: a slip, not a request for the default.
    if (v === null) {
      throw new ConfigError(join(path, key), 'has no value (remove the key to use the default)');
    }
  }
  return value as Obj;
}

export function str(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(path, `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(path, `must be true or false, got ${describe(value)}`);
  }
  return value;
}

export function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ConfigError(path, `expected a list, got ${describe(value)}`);
  }
  if (value.length === 0) {
    throw new ConfigError(path, 'must not be empty');
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(path, `${describe(value)} is not one of ${choices.join(', ')}`);
  }
  return value as T;
}

/** A positive duration string such as `250ms`, `2s`, `1m`; at most `maxMs` (timers: MAX_TIMER_MS). */
function duration(value: unknown, path: string, maxMs = MAX_TIMER_MS): number {
  let ms: number;
  try {
    if (typeof value !== 'string') {
      throw new Error('not a string');
    }
    ms = parseDuration(value);
  } catch {
    throw new ConfigError(path, `${describe(value)} is not a duration (use 250ms, 2s, 1m)`);
  }
  if (!(ms > 0)) {
    throw new ConfigError(path, `${describe(value)} must be longer than zero`);
  }
  if (ms > maxMs) {
    throw new ConfigError(path, `${describe(value)} is too long (at most ${Math.floor(maxMs / 86_400_000)}d)`);
  }
  return ms;
}

/** `duration` for an optional key: `defaultMs` when the key is absent. */
export function durationOr(value: unknown, path: string, defaultMs: number, maxMs = MAX_TIMER_MS): number {
  return value === undefined ? defaultMs : duration(value, path, maxMs);
}

export function stringMap(value: unknown, path: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(path, `expected a mapping of strings, got ${describe(value)}`);
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new ConfigError(join(path, key), `expected a string, got ${describe(v)}`);
    }
    out[key] = v;
  }
  return out;
}

/** A token file must be readable and non-empty at start; it is re-read later, so a rotated token is picked up. */
export function readable(value: unknown, path: string, baseDir: string): string {
  const file = resolve(baseDir, str(value, path));
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(path, `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (!token) {
    throw new ConfigError(path, `${file} is empty`);
  }
  return file;
}

/**
 * What a running process costs, read the way an operator would: resident memory from /proc/<pid>/status
 * and open file descriptors from /proc/<pid>/fd; plus a least-squares slope to tell a leak from noise.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The `<key>: <n> kB` lines of /proc/<pid>/status asked for, in bytes, from one read of the file. */
export function statusBytes<K extends string>(pid: number, keys: readonly K[]): Record<K, number> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const out = {} as Record<K, number>;
  for (const key of keys) {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!m) {
      throw new Error(`no ${key} in /proc/${pid}/status`);
    }
    out[key] = Number(m[1]) * 1024;
  }
  return out;
}

export function rssBytes(pid: number): number {
  return statusBytes(pid, ['VmRSS']).VmRSS;
}

/** Resident memory and its split as the kernel counts it: anonymous (heaps, malloc) and file-backed (code). */
export function rssParts(pid: number): { rss: number; rssAnon: number; rssFile: number } {
  const bytes = statusBytes(pid, ['VmRSS', 'RssAnon', 'RssFile']);
  return { rss: bytes.VmRSS, rssAnon: bytes.RssAnon, rssFile: bytes.RssFile };
}

export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export interface Point {
  /** Seconds. */
  t: number;
  v: number;
}

/** Ordinary least squares: the slope of v over t (units of v per second). */
export function slope(points: readonly Point[]): number {
  if (points.length < 2) {
    throw new Error(`slope: need at least 2 points, got ${points.length}`);
  }
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  if (den === 0) {
    throw new Error('slope: every point has the same time');
  }
  return num / den;
}

export const MB = 1024 * 1024;

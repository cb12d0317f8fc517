/**
 * What a running process costs, read the way an operator would: resident memory from /proc/<pid>/status
 * and open file descriptors from /proc/<pid>/fd; plus a least-squares slope to tell a leak from noise.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One `<key>: <n> kB` line of /proc/<pid>/status, in bytes. */
function statusBytes(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) {
    throw new Error(`no ${key} in /proc/${pid}/status`);
  }
  return Number(m[1]) * 1024;
}

export function rssBytes(pid: number): number {
  return statusBytes(pid, 'VmRSS');
}

/** Resident memory split as the kernel counts it: anonymous (heaps, malloc) and file-backed (code, libraries). */
export function rssParts(pid: number): { rssAnon: number; rssFile: number } {
  return { rssAnon: statusBytes(pid, 'RssAnon'), rssFile: statusBytes(pid, 'RssFile') };
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

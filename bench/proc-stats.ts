/**
 * A process's CPU time and memory read from /proc (Linux), without asking the process anything, so sampling
 * it often does not add to what is measured (a /metrics scrape of a probe with 1000 legs is not free).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { statusBytes } from '../tests/hardening/proc-stats';

let ticksPerSecond: number | undefined;

interface ProcSample {
  cpuSeconds: number;
  rssBytes: number;
  /** Peak RSS since the process started (VmHWM). */
  peakRssBytes: number;
}

export function procSample(pid: number): ProcSample {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), starting at field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  const memory = statusBytes(pid, ['VmRSS', 'VmHWM']);
  return { cpuSeconds, rssBytes: memory.VmRSS, peakRssBytes: memory.VmHWM };
}

/**
 * An open-loop load generator for the probe API: `rate` requests per second spread over `paths`, started on
 * a fixed schedule whether or not earlier answers have come back (so a slow probe cannot slow the load
 * down), with at most `maxInFlight` outstanding; a request that cannot start is counted as an error.
 */
import http from 'node:http';

export interface FloodResult {
  sent: number;
  ok: number;
  errors: number;
  /** Latency of every answered request, ms. */
  latenciesMs: number[];
  /** The same, per path. */
  byPath: Record<string, number[]>;
  /** Error kinds → count (HTTP status, network error code, "overload"). */
  errorKinds: Record<string, number>;
}

export async function flood(opts: {
  address: string;
  paths: readonly string[];
  rate: number;
  durationMs: number;
  maxInFlight?: number;
}): Promise<FloodResult> {
  const [host, port] = [
    opts.address.slice(0, opts.address.lastIndexOf(':')),
    opts.address.slice(opts.address.lastIndexOf(':') + 1),
  ];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const maxInFlight = opts.maxInFlight ?? 500;
  const result: FloodResult = { sent: 0, ok: 0, errors: 0, latenciesMs: [], byPath: {}, errorKinds: {} };
  const fail = (kind: string): void => {
    result.errors++;
    result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
  };
  let inFlight = 0;
  const pending = new Set<Promise<void>>();

  const one = (path: string): Promise<void> =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = http.get({ host, port: Number(port), path, agent, timeout: 5_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) {
            result.ok++;
            const latency = performance.now() - started;
            result.latenciesMs.push(latency);
            (result.byPath[path] ??= []).push(latency);
          } else {
            fail(`HTTP ${res.statusCode}`);
          }
          resolve();
        });
        res.on('error', (err) => {
          fail((err as NodeJS.ErrnoException).code ?? err.message);
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => {
        fail((err as NodeJS.ErrnoException).code ?? err.message);
        resolve();
      });
    });

  // Every 10 ms, start as many requests as the schedule says should have started by now.
  const start = performance.now();
  const total = Math.round((opts.rate * opts.durationMs) / 1000);
  while (result.sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * opts.rate) / 1000));
    while (result.sent < due) {
      const path = opts.paths[result.sent % opts.paths.length] as string;
      result.sent++;
      if (inFlight >= maxInFlight) {
        fail('overload');
        continue;
      }
      inFlight++;
      const p = one(path).then(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(pending);
  agent.destroy();
  return result;
}

// One HTTP(S) request with a stall-aware timeout: used by the http leg and for t3 websocket tickets.
import http from 'node:http';
import https from 'node:https';
import type { StallClock } from '../selfmon.js';
import { timeoutError } from './reasons.js';
import { Watchdog } from './watchdog.js';

export interface HttpResult {
  status: number;
  body: string;
  /** Monotonic ms from sending to the complete response. */
  latencyMs: number;
}

interface RequestOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  timeoutMs: number;
  clock: StallClock;
  /** Larger bodies are cut: the probe only needs to know the server answered. */
  maxBodyBytes?: number;
}

/** Resolves with any status; rejects with the network error, or a timeout error (code T3PROBE_TIMEOUT). */
export function request(url: string, opts: RequestOptions): Promise<HttpResult> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  const maxBody = opts.maxBodyBytes ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    const started = opts.clock.mono();
    // A fresh connection every time (agent: false): a probe must see refusals, not a pooled socket.
    const req = lib.request(target, { method: opts.method, headers: opts.headers, agent: false });
    const watchdog = new Watchdog(opts.timeoutMs, opts.clock, () =>
      req.destroy(timeoutError(`no complete answer within ${opts.timeoutMs} ms`))
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < maxBody) {
          chunks.push(chunk);
        }
        size += chunk.length;
      });
      res.on('end', () => {
        watchdog.stop();
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).subarray(0, maxBody).toString('utf8'),
          latencyMs: opts.clock.mono() - started,
        });
      });
      res.on('error', (err) => {
        watchdog.stop();
        reject(err);
      });
    });
    req.on('error', (err) => {
      watchdog.stop();
      reject(err);
    });
    watchdog.start();
    req.end();
  });
}

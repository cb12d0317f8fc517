/** Fast, bounded polling that time-stamps the answer which first satisfies a condition. */
import { sleep } from '../lab/wait';

export interface Hit<T> {
  value: T;
  /** Date.now() when the satisfying answer had arrived. */
  at: number;
  /** How long that request took: the time-stamp is at most this much after the probe knew. */
  requestMs: number;
}

/**
 * Calls `probe` every `intervalMs` until it returns a non-null value; rejects after `timeoutMs`. The time
 * reported is when the answer arrived, so a detection is never reported earlier than it was observable.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | null>,
  opts: { intervalMs: number; timeoutMs: number; what: string }
): Promise<Hit<T>> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const sent = Date.now();
    try {
      const value = await probe();
      const at = Date.now();
      if (value !== null) {
        return { value, at, requestMs: at - sent };
      }
    } catch (err) {
      lastError = ` (last error: ${err instanceof Error ? err.message : String(err)})`;
    }
    await sleep(Math.max(0, opts.intervalMs - (Date.now() - sent)));
  }
  throw new Error(`${opts.what} not seen within ${opts.timeoutMs} ms${lastError}`);
}

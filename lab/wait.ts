/** Bounded waiting for tests: every wait in the lab ends, with an error that says what never happened. */

interface WaitOptions {
  timeoutMs: number;
  /** How often the condition is checked. */
  intervalMs?: number;
  /** Names the condition in the timeout error. */
  what?: string;
}

/**
 * Resolves with the first truthy value `cond` returns; rejects once `timeoutMs` has passed.
 * A `cond` that throws counts as "not yet"; its last error is quoted in the timeout message.
 */
export async function waitFor<T>(cond: () => T | Promise<T>, opts: WaitOptions): Promise<NonNullable<T>> {
  if (!(opts.timeoutMs > 0)) {
    throw new Error(`waitFor: timeoutMs must be > 0, got ${opts.timeoutMs}`);
  }
  const interval = opts.intervalMs ?? 25;
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await cond();
      if (value) {
        return value as NonNullable<T>;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitFor: ${opts.what ?? 'condition'} not met within ${opts.timeoutMs}ms${why}`);
    }
    await sleep(Math.min(interval, Math.max(1, deadline - Date.now())));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects if `promise` has not settled within `ms`; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms}ms`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    );
  });
}

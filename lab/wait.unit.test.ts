import { describe, expect, it } from 'vitest';
import { sleep, waitFor, withTimeout } from './wait';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : 0), { timeoutMs: 1_000, intervalMs: 1 })).resolves.toBe(3);
  });

  it('times out naming the condition and quoting its last error', async () => {
    const start = Date.now();
    await expect(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { timeoutMs: 100, what: 'the pong' }
      )
    ).rejects.toThrow('waitFor: the pong not met within 100ms (last error: not yet)');
    expect(Date.now() - start).toBeGreaterThanOrEqual(95);
    expect(Date.now() - start).toBeLessThan(1_000);
  });

  it('refuses an unbounded wait', async () => {
    await expect(waitFor(() => true, { timeoutMs: 0 })).rejects.toThrow('timeoutMs must be > 0');
  });
});

describe('withTimeout', () => {
  it('passes a result through and rejects a slow promise', async () => {
    await expect(withTimeout(Promise.resolve(7), 100, 'x')).resolves.toBe(7);
    await expect(withTimeout(sleep(500), 50, 'slow thing')).rejects.toThrow('slow thing: no result within 50ms');
  });
});

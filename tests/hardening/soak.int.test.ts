/**
 * The bounded soak for CI: scripts/soak.ts for 3 minutes (faults every few seconds, hostile legs, leak
 * slopes, unhandled errors, the books). `npm run soak -- --minutes 60` runs the long one.
 */
import { expect, it } from 'vitest';
import { buildProbe } from '../../lab/drive/probe-process';
import { runSoak } from '../../scripts/soak';
import { seedFromEnv } from './seeded';

const MINUTES = 3;

it(
  `a ${MINUTES}-minute soak holds every bound and balances the books`,
  async () => {
    buildProbe();
    const result = await runSoak({ minutes: MINUTES, seed: seedFromEnv(1), log: (line) => console.log(line) });
    expect(result.failures).toEqual([]);
    // It really was a soak: faults of every kind happened and the probe was sampled all along.
    expect(Object.keys(result.faults).sort()).toEqual([
      'close-all',
      'freeze-thaw',
      'kill-restart',
      'silence',
      'slow-pongs',
      'terminate-all',
    ]);
    expect(result.samples).toBeGreaterThanOrEqual((MINUTES * 60) / 5 - 2);
    expect(result.legs.cloudflare!.disconnects).toBeGreaterThan(5);
  },
  (MINUTES + 2) * 60_000
);

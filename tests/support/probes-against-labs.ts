/**
 * For a test file whose tests each run the built probe against a lab of their own: builds the probe
 * once, and after each test kills every probe still running before it stops that test's lab (a probe
 * writes into the lab's directory until it has exited).
 */
import { afterEach, beforeAll } from 'vitest';
import { Lab, type LabOptions } from '../../lab/lab';
import { buildProbe, ProbeProcess } from '../../lab/drive/probe-process';

export function probesAgainstLabs(): { startLab: (opts?: LabOptions) => Promise<Lab> } {
  let lab: Lab | undefined;
  beforeAll(() => buildProbe());
  afterEach(async () => {
    await ProbeProcess.killAll();
    await lab?.stop();
    lab = undefined;
  });
  return { startLab: async (opts = {}) => (lab = await Lab.start(opts)) };
}

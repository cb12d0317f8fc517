/** The lab plus the built probe with the lab's config (as the runbook test runs them), torn down together. */
import { Lab, type LabOptions } from '../lab/lab';
import type { ProbeConfigOptions } from '../lab/probe-config';
import { waitFor } from '../lab/wait';
import type { Server } from '../lab/drive/procs';
import { ProbeClient } from '../lab/drive/probe-client';
import { startProbe } from '../lab/drive/probe-process';

export interface LabProbe {
  lab: Lab;
  probe: Server;
  client: ProbeClient;
  stop(): Promise<void>;
}

/** The scenarios' timings assume an RTT stall threshold of 1 s (scenarios.ts). */
const LAB_ATTRIBUTION = { attribution: { rttStall: '1s' } };

export async function startLabProbe(
  config: ProbeConfigOptions = {},
  labOptions: LabOptions = {},
  legNames: readonly string[] = ['cloudflare', 'internal', 't3serve']
): Promise<LabProbe> {
  const lab = await Lab.start({ auth: 'ticket', ...labOptions });
  let probe: Server | undefined;
  const stop = async (): Promise<void> => {
    await probe?.stop();
    await lab.stop();
  };
  try {
    probe = await startProbe(lab.writeProbeConfig({ ...config, extra: { ...LAB_ATTRIBUTION, ...config.extra } }));
    const client = new ProbeClient(probe.address, legNames);
    await waitFor(() => client.allConnected(), { timeoutMs: 20_000, intervalMs: 100, what: 'every leg connected' });
    return { lab, probe, client, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

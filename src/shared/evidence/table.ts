import type { Decoder } from './context';
import { connected } from './decoders/connected';
import { drops } from './decoders/drops';
import { incidents } from './decoders/incidents';
import { misconfigured } from './decoders/misconfigured';
import { psiIo, psiMemory } from './decoders/pressure';
import { probeUp } from './decoders/probeUp';
import { rtt } from './decoders/rtt';
import { slow } from './decoders/slow';

/**
 * One decoder per refId of the panel's queries (`PANEL_QUERIES`), run in this order: the order of the
 * missing-data and warning lists a verdict shows.
 */
export const DECODERS: Readonly<Record<string, Decoder>> = {
  drops,
  connected,
  rtt,
  slow,
  misconfigured,
  incidents,
  psi_io: psiIo,
  psi_memory: psiMemory,
  probe_up: probeUp,
};

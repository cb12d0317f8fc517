import { DEFAULT_TOPOLOGY, normalizeTopology, validateTopology } from '../attribution';
import type { Topology } from '../attribution/types';

/** The runbook's default topology as the JSON text a panel option or app setting holds. */
export const DEFAULT_TOPOLOGY_TEXT = JSON.stringify(DEFAULT_TOPOLOGY, null, 2);

type TopologyParse = { ok: true; topology: Topology } | { ok: false; error: string };

/** Reads a topology from JSON text (panel option, app setting): normalised, or one message naming the problem. */
export function parseTopologyText(text: string | undefined, what = 'topology'): TopologyParse {
  if (text === undefined || text.trim() === '') {
    return { ok: true, topology: normalizeTopology(DEFAULT_TOPOLOGY) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${what} is not valid JSON: ${(e as Error).message}` };
  }
  try {
    validateTopology(value);
  } catch (e) {
    return { ok: false, error: `${what}: ${(e as Error).message}` };
  }
  return { ok: true, topology: normalizeTopology(value) };
}

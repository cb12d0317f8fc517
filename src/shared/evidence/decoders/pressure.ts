import type { Decoder, EvidenceDraft } from '../context';
import { maxOf } from '../values';

/** "psi_io" / "psi_memory": devvm's worst full-stall rate in the range. */
const pressure =
  (refId: string, key: keyof EvidenceDraft['pressure']): Decoder =>
  (series, c) => {
    const v = maxOf(series, refId, c);
    if (v === null) {
      c.missing.push({ code: 'pressure_no_data', refId });
    }
    c.draft.pressure[key] = v;
  };

export const psiIo = pressure('psi_io', 'ioFull');
export const psiMemory = pressure('psi_memory', 'memoryFull');

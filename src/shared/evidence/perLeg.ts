import type { LegAggregate } from '../../attribution';
import type { Series } from '../series';
import type { DecodeContext, Decoder } from './context';

/** Series of a query grouped by leg; series for legs outside the topology, or without a leg label, are noted. */
function byLeg(series: Series[], refId: string, c: DecodeContext): Map<string, Series[]> {
  const legs = new Set(c.legNames);
  const out = new Map<string, Series[]>();
  const unknown = new Set<string>();
  const unlabelled: Series[] = [];
  for (const s of series) {
    const leg = s.labels.leg;
    if (typeof leg !== 'string') {
      unlabelled.push(s);
      continue;
    }
    if (!legs.has(leg)) {
      unknown.add(leg);
      continue;
    }
    out.set(leg, [...(out.get(leg) ?? []), s]);
  }
  if (unlabelled.length > 0) {
    c.warnings.push({
      code: 'leg_label_absent',
      refId,
      count: unlabelled.length,
      labels: unlabelled[0]?.labels ?? {},
    });
  }
  if (unknown.size > 0) {
    c.warnings.push({ code: 'leg_not_in_topology', refId, legs: [...unknown] });
  }
  return out;
}

/**
 * A decoder for a query with one series (or more) per leg: `apply` reads each leg of the topology that has
 * some, in topology order; each leg without one is noted missing.
 */
export function perLeg(
  refId: string,
  apply: (leg: LegAggregate, name: string, series: Series[], c: DecodeContext) => void
): Decoder {
  return (series, c) => {
    const grouped = byLeg(series, refId, c);
    for (const name of c.legNames) {
      const own = grouped.get(name);
      if (own) {
        apply(c.draft.legs[name] as LegAggregate, name, own, c);
      }
    }
    for (const name of c.legNames) {
      if (!grouped.has(name)) {
        c.missing.push({ code: 'leg_absent', refId, leg: name });
      }
    }
  };
}

import { faultBegan } from './fault-timing';
import { legByName } from './topology';
import type { Outage, Topology } from './types';

/** Outages judged as one fault, with the span they cover; `end` is null while any of them is open. */
export interface Cluster {
  members: Outage[];
  start: number;
  end: number | null;
}

/**
 * Outages of different legs belong to one fault when one moment can be its start for all of them: after
 * every leg last heard the server and before any leg gave up. Outages that merely overlap in time, like a
 * long Cloudflare outage and a short serve stall inside it, stay separate incidents.
 */
export function clusterOutages(outages: readonly Outage[], topology: Topology, slackMs: number): Cluster[] {
  const clusters: Array<{ latestStart: number; earliestEnd: number; members: Outage[] }> = [];
  for (const outage of [...outages].sort((a, b) => a.detectedAt - b.detectedAt)) {
    const began = faultBegan(outage, legByName(topology, outage.leg));
    // The latest cluster that fits, searched from the end without copying: this runs for every outage.
    let home: (typeof clusters)[number] | undefined;
    for (let i = clusters.length - 1; i >= 0 && !home; i--) {
      const c = clusters[i]!;
      if (
        Math.max(c.latestStart, began.start) <= Math.min(c.earliestEnd, began.end) + slackMs &&
        !c.members.some((m) => m.leg === outage.leg)
      ) {
        home = c;
      }
    }
    if (home) {
      home.members.push(outage);
      home.latestStart = Math.max(home.latestStart, began.start);
      home.earliestEnd = Math.min(home.earliestEnd, began.end);
    } else {
      clusters.push({ latestStart: began.start, earliestEnd: began.end, members: [outage] });
    }
  }
  return clusters.map((c) => clusterOf(c.members));
}

/**
 * Refusals have no common moment of fault to cluster on (each leg learns of a revoked token when it next
 * asks): refusals that overlap in time are one mistake of the probe's config.
 */
export function overlapping(outages: readonly Outage[], now: number): Cluster[] {
  const groups: Array<{ end: number; members: Outage[] }> = [];
  for (const o of [...outages].sort((a, b) => a.start - b.start)) {
    const last = groups[groups.length - 1];
    const end = o.end ?? now;
    if (last && o.start <= last.end) {
      last.members.push(o);
      last.end = Math.max(last.end, end);
    } else {
      groups.push({ end, members: [o] });
    }
  }
  return groups.map((g) => clusterOf(g.members));
}

export function clusterOf(members: Outage[]): Cluster {
  const open = members.some((m) => m.end === null);
  return {
    members,
    start: Math.min(...members.map((m) => m.start)),
    end: open ? null : Math.max(...members.map((m) => m.end as number)),
  };
}

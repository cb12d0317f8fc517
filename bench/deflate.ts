/**
 * What offering permessage-deflate costs the probe: the scale benchmark twice, its legs offering the
 * extension (the default, as browsers do) and not, each against the same bare ws loop. Pings and Pongs
 * are below ws's compression threshold, so the difference is the negotiated zlib context per connection.
 */
import type { BenchResult } from './report';
import { scale } from './scale';

interface ScaleDetails {
  windowS: number;
  probe: { cpuSeconds: number };
  bare: { cpuSeconds: number };
  rssBytes: number[];
}

export async function deflate(
  opts: { legs: number; windowMs: number },
  log: (line: string) => void
): Promise<BenchResult> {
  const runs: Array<{ compression: boolean; d: ScaleDetails }> = [];
  for (const compression of [true, false]) {
    log(`deflate: scale with compression ${compression ? 'offered' : 'off'}`);
    const r = await scale({ ...opts, compression }, log);
    runs.push({ compression, d: r.details as unknown as ScaleDetails });
  }
  const row = (compression: boolean) => {
    const d = runs.find((r) => r.compression === compression)!.d;
    const ratio = d.probe.cpuSeconds / d.bare.cpuSeconds;
    const rssMb = Math.max(...d.rssBytes) / 1024 / 1024;
    return {
      benchmark: 'deflate',
      measure: `probe with compression ${compression ? 'offered (default)' : 'off'}, ${opts.legs} legs, ${d.windowS.toFixed(0)} s: CPU per second / CPU vs bare loop / RSS max`,
      result: `${((d.probe.cpuSeconds / d.windowS) * 1000).toFixed(1)} ms/s / ${ratio.toFixed(2)}× / ${rssMb.toFixed(1)} MB`,
      target: '—',
      pass: null,
    };
  };
  return { rows: [row(true), row(false)], details: { runs } };
}

/**
 * `npm run bench`: the probe's numbers (detection, accuracy, scale, deflate, RTT accuracy, API flood), the
 * plugin's (module sizes, panel render, triage first verdict), the probe against blackbox_exporter (peers)
 * and a peer probe's latency and cost (peering), each measured
 * on real processes on this machine. Each benchmark prints its progress, writes one JSON line to
 * artifacts/bench/<name>.json; the end is a markdown table for docs/benchmarks.md.
 *
 *   node --import tsx bench/run.ts [--only <name>[,<name>]] [--repeat N] [--quick]
 */
import { cpus, loadavg } from 'node:os';
import { accuracy } from './accuracy';
import { apiFlood } from './api-flood';
import { detection } from './detection';
import { BENCHMARKS, parseOptions, type BenchName, type BenchOptions } from './options';
import { markdownTable, writeResult, type BenchResult, type Row } from './report';
import { pluginBench } from './plugin/panel-render';
import { rtt } from './rtt';
import { deflate } from './deflate';
import { scale } from './scale';
import { peers } from './peers/peers';
import { peering } from './peering';

const log = (line: string): void => {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

const RUN: Record<BenchName, (o: BenchOptions) => Promise<BenchResult>> = {
  detection: (o) => detection(o.quick ? 2 : 10, log),
  accuracy: (o) => accuracy(o.repeat ?? (o.quick ? 2 : 20), log),
  // The probe's own overhead, like for like with the bare loop; what deflate adds is the deflate benchmark's.
  scale: (o) => scale({ legs: o.quick ? 200 : 1000, windowMs: o.quick ? 15_000 : 180_000, compression: false }, log),
  deflate: (o) => deflate({ legs: o.quick ? 200 : 1000, windowMs: o.quick ? 15_000 : 90_000 }, log),
  rtt: (o) => rtt(o.quick ? 5_000 : 30_000, log),
  'api-flood': (o) => apiFlood(o.quick ? 10_000 : 45_000, log),
  plugin: (o) => pluginBench({ quick: o.quick }, log),
  peers: (o) => peers(o.repeat ?? (o.quick ? 1 : 10), log),
  peering: (o) =>
    peering({ repeat: o.repeat ?? (o.quick ? 3 : 10), users: 100, windowMs: o.quick ? 20_000 : 120_000 }, log),
};

async function main(): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  log(`bench: ${opts.only.join(', ')}${opts.quick ? ' (quick)' : ''}; ${cpus().length} cores, load ${load()}`);
  const rows: Row[] = [];
  let failed = 0;
  for (const name of BENCHMARKS.filter((b) => opts.only.includes(b))) {
    const startedAt = Date.now();
    log(`── ${name}`);
    try {
      const result = await RUN[name](opts);
      const file = writeResult(name, result, startedAt);
      for (const r of result.rows) {
        log(`${r.measure}: ${r.result} (target ${r.target})${r.pass === false ? ' MISSED' : ''}`);
      }
      log(`wrote ${file}`);
      rows.push(...result.rows);
    } catch (err) {
      failed++;
      const why = err instanceof Error ? err.message : String(err);
      log(`${name} did not finish: ${why}`);
      rows.push({ benchmark: name, measure: 'run', result: `error: ${why}`, target: 'finishes', pass: false });
    }
  }
  process.stdout.write(
    `\n${new Date().toISOString()}, ${cpus().length} cores, load ${load()}${opts.quick ? ', --quick' : ''}\n\n${markdownTable(rows)}\n`
  );
  return failed > 0 ? 1 : 0;
}

// Ctrl-C: exit through process.exit so the 'exit' hooks of procs.ts kill the probe and lab processes.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => process.exit(130));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
);

/** The bench runner's command line; a bad value is an error naming its flag. */
import { parseArgs } from 'node:util';

export const BENCHMARKS = [
  'detection',
  'accuracy',
  'scale',
  'deflate',
  'rtt',
  'api-flood',
  'plugin',
  'peers',
  'peering',
] as const;
export type BenchName = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  only: BenchName[];
  /** Repetitions (accuracy: per scenario, peers: per fault kind); undefined = each benchmark's default. */
  repeat: number | undefined;
  /** A short smoke run: fewer repetitions, shorter windows; numbers are not the reference ones. */
  quick: boolean;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', multiple: true },
      repeat: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const only = (values.only ?? []).flatMap((v) => v.split(','));
  for (const name of only) {
    if (!(BENCHMARKS as readonly string[]).includes(name)) {
      throw new Error(`--only: unknown benchmark ${JSON.stringify(name)} (known: ${BENCHMARKS.join(', ')})`);
    }
  }
  const quick = values.quick ?? false;
  const repeat = values.repeat === undefined ? undefined : Number(values.repeat);
  if (repeat !== undefined && (!Number.isInteger(repeat) || repeat < 1 || repeat > 1000)) {
    throw new Error(`--repeat: expected a whole number from 1 to 1000, got ${JSON.stringify(values.repeat)}`);
  }
  return { only: only.length > 0 ? (only as BenchName[]) : [...BENCHMARKS], repeat, quick };
}

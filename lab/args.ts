/** A tiny `--key value` parser for the lab's child processes: unknown flags and bad numbers are errors. */

type ArgKind = 'int' | 'string';

export function parseArgs(argv: string[], spec: Record<string, ArgKind>): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const name = flag.startsWith('--') ? flag.slice(2) : '';
    const kind = spec[name];
    if (!kind) {
      throw new Error(
        `unknown argument ${JSON.stringify(flag)} (known: ${Object.keys(spec)
          .map((k) => `--${k}`)
          .join(', ')})`
      );
    }
    const value = argv[i + 1];
    if (value === undefined) {
      throw new Error(`--${name} needs a value`);
    }
    if (kind === 'int') {
      if (!/^[0-9]+$/.test(value)) {
        throw new Error(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
      }
      out[name] = Number(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

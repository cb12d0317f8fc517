// The t3-probe CLI: `t3-probe --config <file> [--listen <host:port>]`.
// Exit codes: 0 after SIGTERM/SIGINT, 1 when it cannot start (e.g. the address is taken), 2 for bad
// arguments or config (one line on stderr naming the key, never a stack trace).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from './config/error.js';
import { loadConfig, parseListen } from './config/load.js';
import { errorFields, log } from './log.js';
import { Probe } from './probe.js';
import { VERSION } from './version.js';

const USAGE = 'usage: t3-probe --config <file> [--listen <host:port>]';

function fail(code: number, line: string): never {
  process.stderr.write(line.replace(/\s*\n\s*/g, ' ') + '\n');
  process.exit(code);
}

function configure(): Probe {
  let values: { config?: string; listen?: string; help?: boolean; version?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string' },
        listen: { type: 'string' },
        help: { type: 'boolean' },
        version: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(2, `${(err as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  if (values.help || values.version) {
    process.stdout.write(`${values.help ? USAGE : VERSION}\n`);
    process.exit(0);
  }
  if (!values.config) {
    fail(2, `missing --config; ${USAGE}`);
  }
  try {
    const cfg = loadConfig(values.config);
    if (values.listen !== undefined) {
      cfg.listen = parseListen(values.listen, '--listen');
    }
    for (const warning of cfg.warnings) {
      log('warn', 'config warning', { warning });
    }
    const apiToken = cfg.api.tokenFile ? readFileSync(cfg.api.tokenFile, 'utf8').trim() : null;
    return new Probe(cfg, { version: VERSION, apiToken });
  } catch (err) {
    if (err instanceof ConfigError) {
      fail(2, `config error: ${err.message}`);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const probe = configure();
  process.on('uncaughtException', (err) => {
    log('error', 'uncaught exception', errorFields(err));
    process.exit(1);
  });
  try {
    await probe.start();
  } catch (err) {
    log('error', 'cannot start', errorFields(err));
    fail(1, `t3-probe: cannot start: ${(err as Error).message}`);
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    log('info', 'stopping', { signal });
    probe.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log('error', 'unclean stop', errorFields(err));
        process.exit(1);
      }
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();

/**
 * The lab as a long-running process, for the demo and benchmarks (tests use the Lab class directly).
 *
 * Run: node --import tsx tests/lab/cli.ts [--auth none|ticket] [--token T] [--netns <hop>]
 *        [--probe-config <file>] [--heartbeat-interval 500ms] [--heartbeat-timeout 2s]
 * Prints one JSON line `{"event":"ready","legUrls":…,"ports":…,"controlPort":…,"probeConfig":…}`, then
 * reads fault commands from stdin, one per line (see lab-commands.ts), answering each with a JSON line
 * `{"ok":true,…}` or `{"ok":false,"error":…}`. Stops on `stop`, SIGINT or SIGTERM; stdin closing does
 * not stop it, so it can run detached.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from './args';
import { HOPS, Lab, type HopName } from './lab';
import { parseCommand, type LabCommand } from './lab-commands';
import type { AuthMode } from './t3-standin';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    auth: 'string',
    token: 'string',
    netns: 'string',
    'probe-config': 'string',
    'heartbeat-interval': 'string',
    'heartbeat-timeout': 'string',
  });
  if (args.netns !== undefined && !(HOPS as readonly unknown[]).includes(args.netns)) {
    throw new Error(`--netns must name a hop (${HOPS.join(', ')}), got ${JSON.stringify(args.netns)}`);
  }
  const lab = await Lab.start({
    auth: args.auth as AuthMode | undefined,
    token: args.token as string | undefined,
    netns: args.netns as HopName | undefined,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    void lab.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`lab cli: ${String(err)}\n`);
        process.exit(1);
      }
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let probeConfig: string | undefined;
  if (typeof args['probe-config'] === 'string') {
    probeConfig = resolve(args['probe-config']);
    const heartbeat = {
      interval: (args['heartbeat-interval'] as string | undefined) ?? '500ms',
      timeout: (args['heartbeat-timeout'] as string | undefined) ?? '2s',
    };
    writeFileSync(probeConfig, `${JSON.stringify(lab.probeConfig({ heartbeat }), null, 2)}\n`);
  }
  const ready = {
    event: 'ready',
    legUrls: lab.legUrls,
    ports: lab.ports,
    controlPort: lab.serve.controlPort,
    probeConfig,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim() || stopping) {
      continue;
    }
    try {
      const command = parseCommand(line);
      if (command.op === 'stop') {
        reply({ ok: true });
        return stop();
      }
      reply({ ok: true, ...(await apply(lab, command)) });
    } catch (err) {
      reply({ ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
}

async function apply(lab: Lab, c: Exclude<LabCommand, { op: 'stop' }>): Promise<Record<string, unknown>> {
  switch (c.op) {
    case 'freeze':
      lab.freeze(c.segment);
      return {};
    case 'thaw':
      lab.thaw(c.segment);
      return {};
    case 'kill':
      await lab.kill(c.segment);
      return {};
    case 'restart':
      await lab.restart(c.segment);
      return {};
    case 'block':
      await lab.block(c.segment, c.mode);
      return {};
    case 'unblock':
      await lab.unblock(c.segment);
      return {};
    case 'pong-delay':
      return { state: await lab.serve.setPongDelay(c.ms) };
    case 'close-all':
      return { closed: await lab.serve.closeAll(c.code) };
    case 'silence':
      return { state: await lab.serve.silence() };
    case 'resume':
      return { state: await lab.serve.resume() };
    case 'state':
      return { state: await lab.serve.state(), pids: lab.pids() };
  }
}

function reply(msg: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`lab cli: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});

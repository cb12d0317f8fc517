/**
 * The lab as a long-running process, for the demo and benchmarks (tests use the Lab class directly).
 *
 * Run: node --import tsx lab/cli.ts [--host 127.0.0.1] [--base-port N] [--play demo|<scenario>]
 *        [--gap-ms 20000] [--auth none|ticket] [--token T] [--protocol-version N|none] [--netns <hop>]
 *        [--probe-config <file>] [--heartbeat-interval 500ms] [--heartbeat-timeout 2s]
 * `--protocol-version`: the stand-in plays a current t3 server speaking N (default 2, `orchestrationProtocol`
 * required on /ws) or, with `none`, an older one. `--host`: the address every lab process listens on. `--base-port N`: hops on N.. N+5 in path order
 * (wan, cf-edge, tunnel, traefik, dispatch, devvm-net), serve on N+6; otherwise ports from the OS.
 * `--play demo` plays every scenario of scenarios.ts in a loop, `--play <scenario>` plays one once; each
 * after `--gap-ms` of quiet, logging `{"event":"scenario-start",…}` and `{"event":"scenario-end","ok":…}`.
 * Prints one JSON line `{"event":"ready","legUrls":…,"ports":…,"controlPort":…,"probeConfig":…}` first,
 * then reads fault commands from stdin, one per line (see lab-commands.ts), answering each with a JSON line
 * `{"ok":true,…}` or `{"ok":false,"error":…}`. Stops on `stop`, SIGINT or SIGTERM; stdin closing does
 * not stop it, so it can run detached (the compose demo runs it with no stdin at all).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseCliOptions } from './cli-options';
import { Lab } from './lab';
import { parseCommand, type LabCommand } from './lab-commands';
import { play } from './player';

async function main(): Promise<void> {
  const opts = parseCliOptions(process.argv.slice(2));
  const lab = await Lab.start({
    auth: opts.auth,
    token: opts.token,
    protocolVersion: opts.protocolVersion,
    netns: opts.netns,
    host: opts.host,
    basePort: opts.basePort,
  });
  const playing = new AbortController();
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    playing.abort();
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
  if (opts.probeConfig) {
    probeConfig = resolve(opts.probeConfig.file);
    const config = lab.probeConfig({ heartbeat: opts.probeConfig.heartbeat });
    writeFileSync(probeConfig, `${JSON.stringify(config, null, 2)}\n`);
  }
  const ready = {
    event: 'ready',
    host: opts.host,
    legUrls: lab.legUrls,
    ports: lab.ports,
    controlPort: lab.serve.controlPort,
    protocolVersion: lab.protocolVersion,
    probeConfig,
    play: opts.play?.scenarios.map((s) => s.name),
  };
  reply(ready);

  if (opts.play) {
    // play() logs and survives scenario failures itself; this catch is for a bug in play() only.
    void play(lab, opts.play, { signal: playing.signal, log: reply, heal: () => lab.heal() }).catch((err: unknown) =>
      reply({ event: 'play-failed', error: err instanceof Error ? err.message : String(err) })
    );
  }

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
    case 'token':
      return { ...(await lab.setToken(c.token)) };
    case 'revoke-token':
      // The token file keeps the revoked token; the new one (a lab token) is returned so a demo can fix it.
      return { token: await lab.revokeToken() };
    case 'forbid':
      await lab.setForbid(c.on);
      return {};
    case 'protocol-version':
      await lab.setProtocolVersion(c.version);
      return { protocolVersion: lab.protocolVersion };
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

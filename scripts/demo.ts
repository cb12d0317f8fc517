/**
 * `npm run demo`: the main job on its built-in default, with nothing but Node. Starts the lab (a stand-in
 * t3 server behind one real process per path segment) and the real probe with the runbook topology (its
 * three legs and the finer ones, which narrow each verdict to one segment where they can), plays
 * one fault per runbook row and a user-reported drop while infra is clean, prints each verdict as the
 * probe reaches it, then does the same per user on a lab with users (demo-users.ts), then keeps running so
 * /metrics and the API can be explored. Ctrl-C stops everything.
 *
 *   node --import tsx scripts/demo.ts [--listen 127.0.0.1:9464] [--once]
 */
import { parseArgs } from 'node:util';
import { Lab } from '../lab/lab';
import { FINER_LEGS, LEG_SEGMENTS } from '../lab/probe-config';
import { SCENARIOS } from '../lab/scenarios';
import { waitFor } from '../lab/wait';
import type { Server } from '../lab/drive/procs';
import { ProbeClient } from '../lab/drive/probe-client';
import { playScenario, scenarioProblems } from '../lab/drive/scenario-check';
import { startProbe } from '../lab/drive/probe-process';
import type { Verdict } from '../src/attribution';
import { startUsersDemo } from './demo-users';

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

function describeVerdict(v: Verdict): string[] {
  const lines = [`   verdict:  ${v.verdict} — ${v.headline}`, `   suspects: ${v.suspects.join(', ') || '(none)'}`];
  for (const incident of v.incidents) {
    lines.push(`   incident ${incident.id}: ${incident.summary}`);
  }
  for (const hint of v.hints) {
    lines.push(`   hint:     ${hint.text}${hint.runbook ? ` (runbook ${hint.runbook})` : ''}`);
  }
  return lines;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { listen: { type: 'string', default: '127.0.0.1:9464' }, once: { type: 'boolean', default: false } },
  });
  say('t3 drop attribution — demo');
  say(
    'Starting the lab: a stand-in t3 server and the hops wan → cf-edge → tunnel → traefik → dispatch → devvm-net → serve,'
  );
  say("each a real process on 127.0.0.1, and the probe with the runbook's three legs (cloudflare, internal, t3serve)");
  say(
    `and the finer legs (${Object.keys(FINER_LEGS).join(', ')}), which cross less of the path: the Cloudflare edge's own`
  );
  say(
    "/cdn-cgi/trace, and connects to Traefik's entrypoint and to devvm, so each verdict names one segment where it can."
  );
  say('The lab runs the legs fast (heartbeat 500 ms, watchdog 2 s) so each fault takes seconds, not minutes.');
  // Authenticated, as every real t3 server is: the probe buys a ticket with its token before each connect.
  const lab = await Lab.start({ auth: 'ticket' });
  let probe: Server | undefined;
  let users: Awaited<ReturnType<typeof startUsersDemo>> | undefined;
  const stop = async (): Promise<void> => {
    await users?.stop();
    await probe?.stop();
    await lab.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  try {
    const config = lab.writeProbeConfig({
      listen: values.listen,
      finer: true,
      extra: { attribution: { rttStall: '1s' } },
    });
    probe = await startProbe(config);
    const legs = [...Object.keys(LEG_SEGMENTS), ...Object.keys(FINER_LEGS)];
    const client = new ProbeClient(probe.address, legs);
    await waitFor(() => client.allConnected(), {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: 'every leg connected',
    });
    say(`Probe up on http://${probe.address} — all ${legs.length} legs connected.`);
    let right = 0;
    for (const [i, scenario] of SCENARIOS.entries()) {
      say();
      say(`${i + 1}/${SCENARIOS.length} ${scenario.says}`);
      say(`   fault:    ${scenario.fault}`);
      const outcome = await playScenario(client, lab, scenario);
      if (scenario.expect.verdict === 'exonerated') {
        say(`   a user reports a drop between ${clock(outcome.from)} and ${clock(outcome.to)} UTC`);
      }
      describeVerdict(outcome.verdict).forEach((line) => say(line));
      const problems = scenarioProblems(scenario, outcome, true);
      right += problems.length === 0 ? 1 : 0;
      say(`   ${problems.length === 0 ? '✓ as the runbook says' : `✗ ${problems.join('; ')}`}`);
    }
    say();
    say(`${right}/${SCENARIOS.length} scenarios attributed as the runbook says.`);
    say();
    users = await startUsersDemo(say);
    const usersRight = await users.play();
    if (values.once) {
      await stop();
      return right === SCENARIOS.length && usersRight ? 0 : 1;
    }
    say(`The probe keeps running: http://${probe.address}/metrics, http://${probe.address}/api/v1/incidents,`);
    say(`http://${probe.address}/api/v1/attribution?from=<ms>&to=<ms>; the per-user lab's probe:`);
    say(`http://${users.address}/api/v1/attribution?from=<ms>&to=<ms>&user=alice. Ctrl-C stops the probes and labs.`);
    return await new Promise<number>(() => undefined);
  } catch (err) {
    process.stderr.write(`demo: ${(err as Error).message}\n`);
    await stop();
    return 1;
  }
}

void main().then((code) => process.exit(code));

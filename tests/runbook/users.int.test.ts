/**
 * Issue 12 on the lab, for real: three users, each with their own serve instance behind dispatch (alice and
 * bob watched by a leg `serve-<user>`, carol by none), and the built probe. One user's instance stalling
 * inside its cgroup is that user's incident alone; the box freezing is every user's, never one user's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../lab/lab';
import { LAB_USERS, USER_SCENARIOS, type UserScenario } from '../../lab/user-scenarios';
import { waitFor } from '../../lab/wait';
import type { Server } from '../../lab/drive/procs';
import { ProbeClient } from '../../lab/drive/probe-client';
import { buildProbe, startProbe } from '../../lab/drive/probe-process';
import { playUserScenario, userScenarioProblems } from '../../lab/drive/user-scenario-check';
import { getJson } from '../../lab/drive/probe-http';

let lab: Lab;
let probe: Server;
let client: ProbeClient;

function scenario(name: string): UserScenario {
  const s = USER_SCENARIOS.find((x) => x.name === name);
  if (!s) {
    throw new Error(`no user scenario ${name}`);
  }
  return s;
}

beforeAll(async () => {
  buildProbe();
  lab = await Lab.start({ auth: 'ticket', users: LAB_USERS.all });
  const opts = { unmonitoredUsers: LAB_USERS.unmonitored, extra: { attribution: { rttStall: '1s' } } };
  probe = await startProbe(lab.writeProbeConfig(opts));
  client = new ProbeClient(
    probe.address,
    lab.probeConfig(opts).legs.map((l) => String(l.name))
  );
  await waitFor(() => client.allConnected(), { timeoutMs: 20_000, intervalMs: 200, what: 'every leg connected' });
});

afterAll(async () => {
  await probe?.stop();
  await lab?.stop();
});

describe('the probe knows the lab’s users', () => {
  it('a leg per watched user on their own instance, carol listed without one', async () => {
    const legs = await client.legs();
    expect(legs.map((l) => [l.name, l.user])).toEqual([
      ['cloudflare', undefined],
      ['internal', undefined],
      ['t3serve', undefined],
      ['serve-alice', 'alice'],
      ['serve-bob', 'bob'],
    ]);
    const topology = await getJson<{ userInstances: Array<{ user: string; monitored: boolean }> }>(
      `http://${probe.address}/api/v1/topology`
    );
    expect(topology.userInstances.map((u) => [u.user, u.monitored])).toEqual([
      ['carol', false],
      ['alice', true],
      ['bob', true],
    ]);
  });
});

describe("one user's serve stalls inside its cgroup", () => {
  it('that user: incident on their instance; the other watched user: exonerated, client alone; carol: told hers was not watched', async () => {
    const s = scenario('user-cgroup-stall');
    const outcome = await playUserScenario(client, lab, s);
    expect(userScenarioProblems(s, outcome)).toEqual([]);
    const { alice, bob, carol } = outcome.verdicts;
    expect([alice?.verdict, alice?.suspects]).toEqual(['incident', ['serve.alice']]);
    expect(alice?.incidents.map((i) => i.legs)).toEqual([['serve-alice']]);
    expect([bob?.verdict, bob?.suspects]).toEqual(['exonerated', ['client']]);
    expect([carol?.verdict, carol?.suspects]).toEqual(['exonerated', ['client', 'serve.carol']]);
    expect(carol?.headline).toContain("carol's own serve instance (serve.carol) was not watched");
    // The verdict for all users names the instance too, and no shared segment.
    const all = await client.attribution(outcome.from, outcome.to);
    expect(all.suspects).toEqual(['serve.alice']);
  });
});

describe('the box freezing', () => {
  it('is not blamed on one user: every user, watched or not, gets the same shared incident', async () => {
    const s = scenario('box-freeze');
    const outcome = await playUserScenario(client, lab, s);
    expect(userScenarioProblems(s, outcome)).toEqual([]);
    for (const user of LAB_USERS.all) {
      const v = outcome.verdicts[user]!;
      expect(v.verdict, user).toBe('incident');
      expect(
        v.suspects.filter((x) => x.startsWith('serve.')),
        user
      ).toEqual([]);
    }
    const all = await client.attribution(outcome.from, outcome.to);
    expect(all.suspects).toEqual(['devvm-net', 'serve']);
  });
});

// Two real probes (issue 12): the devvm probe (the peer) runs one http leg per user straight at that user's
// own serve instance, as on devvm's loopback; the main probe runs the runbook's legs through the lab's path
// and pulls the peer's topology and events through the peer's token-guarded API. The main probe's API
// judges all legs together: one user's stalled instance blames that instance alone, a frozen peer blames
// nothing but its own host and leaves its users unknown.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProbeProcess } from '../../lab/drive/probe-process';
import { metricValue } from '../../lab/drive/probe-http';
import type { Lab } from '../../lab/lab';
import { waitFor } from '../../lab/wait';
import type { Incident, Verdict } from '../../src/attribution';
import { probesAgainstLabs } from '../support/probes-against-labs';
import { promQuery, simplePrometheusConfig, startPrometheus } from '../support/stack';

const { startLab } = probesAgainstLabs();

const PEER_TOKEN = 'peer-api-token-0123456789';

interface Probes {
  lab: Lab;
  main: ProbeProcess;
  peer: ProbeProcess;
}

/** The lab with alice, bob and carol; the peer watches alice's and bob's instances, carol has no leg. */
async function startProbes(): Promise<Probes> {
  const lab = await startLab({ users: ['alice', 'bob', 'carol'] });
  const dir = dirname(lab.writeProbeConfig());
  writeFileSync(join(dir, 'peer-token'), `${PEER_TOKEN}\n`);
  const peerConfig = {
    listen: '127.0.0.1:0',
    dataDir: 'peer-data',
    api: { tokenFile: 'peer-token' },
    legs: ['alice', 'bob'].map((user) => ({
      name: user,
      type: 'http',
      url: `${lab.users.get(user)!.baseUrl}/.well-known/t3/environment`,
      interval: '500ms',
      timeout: '1s',
      user,
    })),
  };
  writeFileSync(join(dir, 'peer.yaml'), JSON.stringify(peerConfig));
  const peer = await ProbeProcess.start(join(dir, 'peer.yaml'));
  const main = await ProbeProcess.start(
    lab.writeProbeConfig({
      userUrls: {},
      extra: { users: ['carol'], peers: [{ name: 'devvm', url: peer.base, tokenFile: 'peer-token' }] },
    })
  );
  await main.waitLegs((ls) => ls.every((l) => l.connected));
  await waitFor(
    async () => {
      const t = (await main.get('/api/v1/topology')).json();
      return t.legs.some((l) => l.name === 'devvm.alice') && (await peerUp(main)) === 1;
    },
    { timeoutMs: 15_000, what: "the peer's legs in the main probe's topology" }
  );
  return { lab, main, peer };
}

async function peerUp(main: ProbeProcess): Promise<number> {
  return metricValue((await main.get('/metrics')).body, 't3probe_peer_up', { peer: 'devvm' });
}

async function verdict(main: ProbeProcess, from: number, user: string): Promise<Verdict> {
  return (await main.get(`/api/v1/attribution?from=${from}&to=${Date.now()}&user=${user}`)).json();
}

async function incidentsSince(main: ProbeProcess, from: number): Promise<Incident[]> {
  return (await main.get(`/api/v1/incidents?from=${from}`)).json().incidents;
}

describe('a peer probe on devvm', () => {
  it("one user's instance stalls: that user's verdict blames it alone, the others are told apart", async () => {
    const { lab, main, peer } = await startProbes();
    const from = Date.now();
    lab.freeze('serve.alice');
    // The peer's leg fails, and its events reach the main probe's live attribution.
    await waitFor(async () => (await incidentsSince(main, from)).some((i) => i.legs.includes('devvm.alice')), {
      timeoutMs: 15_000,
      what: "the peer's alice leg in an incident of the main probe",
    });
    lab.thaw('serve.alice');
    const closed = await waitFor(
      async () => (await incidentsSince(main, from)).find((i) => i.legs.includes('devvm.alice') && i.end !== null),
      { timeoutMs: 20_000, what: "alice's incident closed" }
    );
    expect(closed.legs).toEqual(['devvm.alice']);
    expect(closed.suspects).toEqual(['serve.alice']);

    const alice = await verdict(main, from, 'alice');
    expect(alice.verdict).toBe('incident');
    expect(alice.suspects).toEqual(['serve.alice']);
    const bob = await verdict(main, from, 'bob');
    expect(bob.verdict).toBe('exonerated');
    expect(bob.suspects).toEqual(['client']);
    const carol = await verdict(main, from, 'carol');
    expect(carol.verdict).toBe('exonerated');
    expect(carol.suspects).toEqual(['client', 'serve.carol']);

    // A real Prometheus scraping both probes (job t3-probe, one target each): each counted alice's incident
    // on her instance, and the alert rule's max over the probes reads one incident, not two.
    const prometheus = await startPrometheus(simplePrometheusConfig({ 't3-probe': [main.address, peer.address] }));
    try {
      const counted = await waitFor(
        async () => {
          const s = await promQuery(prometheus.address, 't3probe_incidents_total{suspect="serve.alice"}');
          return s.length === 2 && s.every((x) => Number(x.value[1]) === 1) ? s : null;
        },
        { timeoutMs: 20_000, what: 'both probes scraped, each with one serve.alice incident' }
      );
      expect(counted.map((x) => x.metric.instance).sort()).toEqual([main.address, peer.address].sort());
      const [one] = await promQuery(
        prometheus.address,
        'max by (suspect) (t3probe_incidents_total{suspect="serve.alice"})'
      );
      expect(one?.value[1]).toBe('1');
      const [up] = await promQuery(prometheus.address, `t3probe_peer_up{instance="${main.address}",peer="devvm"}`);
      expect(up?.value[1]).toBe('1');
    } finally {
      await prometheus.stop();
    }
  });

  it('the peer probe freezes (SIGSTOP): nothing but its own host is blamed, its users are unknown', async () => {
    const { main, peer } = await startProbes();
    const from = Date.now();
    peer.signal('SIGSTOP');
    try {
      await waitFor(async () => (await peerUp(main)) === 0, { timeoutMs: 15_000, what: 'the peer marked down' });
      // While it is frozen: its users' verdicts have no data, the others' are as before.
      expect((await verdict(main, from, 'alice')).verdict).toBe('unknown');
      expect((await verdict(main, from, 'bob')).verdict).toBe('unknown');
      const carol = await verdict(main, from, 'carol');
      expect(carol.verdict).toBe('exonerated');
      expect(carol.suspects).toEqual(['client', 'serve.carol']);
    } finally {
      peer.signal('SIGCONT');
    }
    await waitFor(async () => (await peerUp(main)) === 1, { timeoutMs: 15_000, what: 'the peer up again' });
    const alice = await verdict(main, from, 'alice');
    expect(alice.verdict).toBe('unknown');
    expect(alice.suspects).not.toContain('serve.alice');
    const blamed = (await incidentsSince(main, from)).flatMap((i) => i.suspects);
    expect(blamed.filter((s) => s !== 'probe.devvm')).toEqual([]);
    const failures = metricValue((await main.get('/metrics')).body, 't3probe_peer_pull_failures_total', {
      peer: 'devvm',
    });
    expect(failures).toBeGreaterThan(0);
  });

  it("the box freezes (every instance and the devvm probe on it): no user's own instance is blamed", async () => {
    const { lab, main, peer } = await startProbes();
    const from = Date.now();
    lab.freezeBox();
    peer.signal('SIGSTOP');
    try {
      await waitFor(async () => (await incidentsSince(main, from)).some((i) => i.legs.includes('t3serve')), {
        timeoutMs: 15_000,
        what: "the main probe's legs through devvm failing",
      });
      await waitFor(async () => (await peerUp(main)) === 0, { timeoutMs: 15_000, what: 'the peer marked down' });
    } finally {
      peer.signal('SIGCONT');
      lab.thawBox();
    }
    await waitFor(async () => (await incidentsSince(main, from)).every((i) => i.end !== null), {
      timeoutMs: 30_000,
      what: 'every incident closed',
    });
    const blamed = (await incidentsSince(main, from)).flatMap((i) => i.suspects);
    expect(blamed).toContain('serve');
    expect(blamed.filter((s) => s.startsWith('serve.'))).toEqual([]);
    for (const user of ['alice', 'bob']) {
      const v = await verdict(main, from, user);
      expect(v.verdict).toBe('incident');
      expect(v.suspects).not.toContain(`serve.${user}`);
    }
  });

  it("a peer whose API refuses the main probe's token: its legs never join, its users stay unknown", async () => {
    const lab = await startLab({ users: ['alice'] });
    const dir = dirname(lab.writeProbeConfig());
    writeFileSync(join(dir, 'peer-token'), `${PEER_TOKEN}\n`);
    writeFileSync(join(dir, 'wrong-token'), 'not-the-peer-token\n');
    const peerConfig = {
      listen: '127.0.0.1:0',
      dataDir: 'peer-data',
      api: { tokenFile: 'peer-token' },
      legs: [{ name: 'alice', type: 'http', url: `${lab.users.get('alice')!.baseUrl}/healthz`, user: 'alice' }],
    };
    writeFileSync(join(dir, 'peer.yaml'), JSON.stringify(peerConfig));
    const peer = await ProbeProcess.start(join(dir, 'peer.yaml'));
    const main = await ProbeProcess.start(
      lab.writeProbeConfig({
        userUrls: {},
        extra: { users: ['alice'], peers: [{ name: 'devvm', url: peer.base, tokenFile: 'wrong-token' }] },
      })
    );
    const line = await main.waitForLine((l) => l.msg === 'peer pull failed', 10_000);
    expect(String(line.error)).toMatch(/HTTP 401: the peer refused the token in .*wrong-token/);
    const t = (await main.get('/api/v1/topology')).json();
    expect(t.legs.map((l) => l.name)).not.toContain('devvm.alice');
    expect(await peerUp(main)).toBe(0);
  });
});

// The built probe against the lab's stand-in playing current and older t3 servers: plain /ws URLs connect
// to both; a refused token, a refused version and a 403 each end as their reason, an incident of the probe
// alone, t3probe_leg_misconfigured at 1 and verdicts that name no path segment; a new token file fixes it.
import { describe, expect, it } from 'vitest';
import { ProbeProcess } from '../../lab/drive/probe-process';
import { probesAgainstLabs } from '../support/probes-against-labs';

const { startLab } = probesAgainstLabs();

const WS_LEGS = ['cloudflare', 'internal'];
const PATH_SEGMENTS = ['wan', 'cf-edge', 'tunnel', 'traefik', 'devvm-net', 'dispatch', 'serve'];

function gauge(metrics: string, leg: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`t3probe_leg_misconfigured{leg="${leg}"} `));
  return Number(line?.split(' ')[1]);
}

interface Attribution {
  verdict: string;
  suspects: string[];
  headline: string;
  segments: Array<{ id: string; state: string }>;
}

async function attribution(probe: ProbeProcess, from: number): Promise<Attribution> {
  const res = await fetch(`${probe.base}/api/v1/attribution?from=${from}&to=${Date.now()}`);
  return (await res.json()) as Attribution;
}

/** What every refusal must show: its reason, the gauge, an open incident of the probe alone, no segment blamed. */
async function expectRefused(probe: ProbeProcess, from: number, reason: string, detail?: RegExp): Promise<void> {
  const legs = await probe.waitLegs((ls) => WS_LEGS.every((n) => ls.find((l) => l.name === n)?.misconfigured));
  for (const name of WS_LEGS) {
    expect(legs.find((l) => l.name === name)).toMatchObject({ connected: false, lastReason: reason });
  }
  expect(legs.find((l) => l.name === 't3serve')).toMatchObject({ connected: true, misconfigured: false });
  const events = (await probe.get(`/api/v1/events?from=${from}`)).json().events.filter((e) => e.type === 'disconnect');
  expect(events.map((e) => e.reason)).toEqual(WS_LEGS.map(() => reason));
  if (detail) {
    expect(events.every((e) => detail.test(e.detail ?? ''))).toBe(true);
  }
  const metrics = (await probe.get('/metrics')).body;
  expect(WS_LEGS.map((l) => gauge(metrics, l))).toEqual([1, 1]);
  expect(gauge(metrics, 't3serve')).toBe(0);
  const incidents = (await probe.get(`/api/v1/incidents?from=${from}`)).json().incidents;
  expect(incidents.map((i) => [i.kind, i.suspects, i.end])).toEqual([['config', ['probe'], null]]);
  const v = await attribution(probe, from);
  expect(v.verdict).toBe('incident');
  expect(v.suspects).toEqual(['probe']);
  expect(v.headline).toMatch(/^The probe's own configuration, not infra/);
  expect(v.segments.filter((s) => s.state === 'suspect').map((s) => s.id)).toEqual(['probe']);
  // Segments only the refused legs watch are not cleared either.
  expect(v.segments.find((s) => s.id === 'tunnel')?.state).toBe('unknown');
  for (const s of PATH_SEGMENTS) {
    expect(metrics).toContain(`t3probe_incidents_total{suspect="${s}"} 0`);
  }
}

describe('current and older t3 servers, with plain /ws URLs', () => {
  it.each([
    ['a current server (orchestrationProtocol from its descriptor)', 2],
    ['an older server (no version in the descriptor)', null],
  ] as const)('%s: every leg connects and stays clean', async (_name, version) => {
    const lab = await startLab({ auth: 'ticket', protocolVersion: version });
    const probe = await ProbeProcess.start(lab.writeProbeConfig());
    await probe.waitLegs((ls) => ls.every((l) => l.connected));
    const { counters } = await lab.serve.state();
    expect(counters.upgradesRejectedVersion).toBe(0);
    expect(counters.upgradesByTicket).toBeGreaterThanOrEqual(2);
    const metrics = (await probe.get('/metrics')).body;
    expect(WS_LEGS.map((l) => gauge(metrics, l))).toEqual([0, 0]);
    expect(metrics).toMatch(/t3probe_disconnects_total\{leg="cloudflare",reason="version_mismatch"\} 0/);
  });
});

describe('refusals of the probe itself', () => {
  it('a revoked token: auth_failed with the server reason, the probe alone; a new token file fixes it without a restart', async () => {
    const lab = await startLab({ auth: 'ticket' });
    const probe = await ProbeProcess.start(lab.writeProbeConfig());
    await probe.waitLegs((ls) => ls.every((l) => l.connected));
    const from = Date.now();
    const fresh = await lab.revokeToken();
    await expectRefused(probe, from, 'auth_failed', /invalid_credential/);
    lab.writeTokenFile(fresh);
    await probe.waitLegs((ls) => ls.every((l) => l.connected && !l.misconfigured), 10_000);
    const closed = (await probe.get(`/api/v1/incidents?from=${from}`)).json().incidents;
    expect(closed.map((i) => [i.kind, i.suspects])).toEqual([['config', ['probe']]]);
    expect(closed[0]!.end).not.toBeNull();
    const logged = JSON.stringify(probe.lines);
    expect(logged).not.toContain(fresh);
    expect(gauge((await probe.get('/metrics')).body, 'cloudflare')).toBe(0);
  });

  it('a version the server does not speak (pinned in the URL): version_mismatch, the probe alone', async () => {
    const lab = await startLab({ auth: 'ticket' });
    const pinned = { url: lab.clientUrl('cloudflare').replace(/orchestrationProtocol=\d+/, 'orchestrationProtocol=1') };
    const internal = { url: lab.clientUrl('internal').replace(/orchestrationProtocol=\d+/, 'orchestrationProtocol=1') };
    const from = Date.now();
    const probe = await ProbeProcess.start(lab.writeProbeConfig({ legs: { cloudflare: pinned, internal } }));
    await expectRefused(probe, from, 'version_mismatch');
  });

  it('a server that forbids the probe (403): auth_failed, the probe alone', async () => {
    const lab = await startLab({ auth: 'ticket' });
    await lab.setForbid(true);
    const from = Date.now();
    const probe = await ProbeProcess.start(lab.writeProbeConfig());
    await expectRefused(probe, from, 'auth_failed');
  });
});

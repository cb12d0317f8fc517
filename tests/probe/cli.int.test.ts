// The built t3-probe CLI as a user runs it: bad configs, the API and metrics against the lab, a clean
// SIGTERM, history across restarts and after a kill -9.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HeartbeatEvent } from '../../src/attribution/types';
import { ProbeProcess, runCli } from '../../lab/drive/probe-process';
import { probesAgainstLabs } from '../support/probes-against-labs';

const dir = mkdtempSync(join(tmpdir(), 't3probe-cli-'));
const { startLab } = probesAgainstLabs();
afterAll(async () => {
  await ProbeProcess.killAll();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  if (line === undefined) {
    throw new Error(`no series ${series}`);
  }
  return Number(line.slice(series.length + 1));
}

function storedEvents(dataDir: string): Array<Record<string, unknown>> {
  const eventsDir = join(dataDir, 'events');
  return readdirSync(eventsDir)
    .flatMap((f) => readFileSync(join(eventsDir, f), 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('t3-probe: bad invocations exit 2 with one line naming the problem', () => {
  const leg = 'legs:\n  - { name: t3serve, type: http, url: "http://127.0.0.1:9/x", segments: [serve] }\n';
  it.each([
    [
      'a missing config file',
      ['--config', join(dir, 'nope.yaml')],
      /^config error: cannot read config file .*nope\.yaml \(ENOENT\)$/,
    ],
    [
      'unparseable YAML',
      ['--config', file('broken.yaml', 'legs: [\n')],
      /^config error: cannot parse .*broken\.yaml as YAML at line \d+/,
    ],
    ['an unknown key', ['--config', file('unknown.yaml', `listne: 1\n${leg}`)], /^config error: listne: unknown key/],
    [
      'a bad duration',
      ['--config', file('dur.yaml', `heartbeat: { interval: 1s, timeout: 2x }\n${leg}`)],
      /^config error: heartbeat\.timeout: "2x" is not a duration \(use 250ms, 2s, 1m\)$/,
    ],
    [
      'an unknown segment',
      ['--config', file('seg.yaml', leg.replace('[serve]', '[serve, moon]'))],
      /^config error: legs\[0\]\.segments\[1\]: unknown segment "moon"$/,
    ],
    ['no legs', ['--config', file('nolegs.yaml', 'retention: 7d\n')], /^config error: legs: is required/],
    [
      'a bad --listen',
      ['--config', file('ok.yaml', leg), '--listen', 'nowhere'],
      /^config error: --listen: "nowhere" is not host:port/,
    ],
    ['no --config', [], /^missing --config; usage: t3-probe --config <file>/],
    ['an unknown flag', ['--confg', 'x'], /usage: t3-probe/],
  ])('%s', async (_what, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('npx t3-probe (the workspace bin linked at the root) behaves the same', async () => {
    const r = await runCli(['--config', join(dir, 'nope.yaml')], 30_000, ['npx', '--no-install', 't3-probe']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^config error: cannot read config file/);
  });

  it('an address already in use exits 1 with one line', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cfg = file(
        'busy.yaml',
        `dataDir: ${join(dir, 'busy-data')}\n${'legs:\n  - { name: t3serve, type: http, url: "http://127.0.0.1:9/x", segments: [serve] }\n'}`
      );
      const r = await runCli(['--config', cfg, '--listen', `127.0.0.1:${port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/cannot start: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});

describe('t3-probe against the lab', () => {
  it('serves /metrics (valid for promtool) and the API; SIGTERM exits 0 with probe_stop recorded', async () => {
    const lab = await startLab({ auth: 'ticket' });
    const dataDir = join(lab.dir, 'probe-data');
    const probe = await ProbeProcess.start(lab.writeProbeConfig());
    await probe.waitForLine((l) => l.msg === 'probe_start', 5_000);
    const legs = await probe.waitLegs((ls) => ls.every((l) => l.connected));
    expect(legs.map((l) => l.name)).toEqual(['cloudflare', 'internal', 't3serve']);
    expect((await probe.get('/readyz')).status).toBe(200);
    expect((await probe.get('/healthz')).status).toBe(200);

    const metrics = (await probe.get('/metrics')).body;
    expect(metric(metrics, 't3probe_connected{leg="cloudflare"}')).toBe(1);
    expect(metric(metrics, 't3probe_disconnects_total{leg="internal",reason="heartbeat_timeout"}')).toBe(0);
    const promtool = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
    expect(promtool.stdout + promtool.stderr).toBe('');
    expect(promtool.status).toBe(0);
    // The token file's content never shows in the API or the logs.
    const token = readFileSync(lab.tokenFile, 'utf8').trim();
    expect(JSON.stringify(legs)).not.toContain(token);
    expect(JSON.stringify(probe.lines)).not.toContain(token);

    const stopped = await probe.stop('SIGTERM');
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(storedEvents(dataDir).at(-1)).toMatchObject({ type: 'probe_stop' });
    expect(probe.lines.at(-1)).toMatchObject({ msg: 'probe stopped' });
  });

  it('a cut tunnel becomes one closed incident (logged once, counted, stored), kept across a restart', async () => {
    const lab = await startLab();
    const cfg = lab.writeProbeConfig();
    const first = await ProbeProcess.start(cfg);
    await first.waitLegs((ls) => ls.every((l) => l.connected));
    await lab.kill('tunnel');
    await first.waitForLine((l) => l.msg === 'disconnect', 5_000);
    const open = (await first.get('/api/v1/incidents')).json().incidents;
    expect(open).toHaveLength(1);
    expect(open[0]!.end).toBeNull();
    expect(open[0]!.suspects).toEqual(['wan', 'cf-edge', 'tunnel']); // provisional, while the tunnel is down
    await lab.restart('tunnel');
    const logged = await first.waitForLine((l) => l.msg === 'incident', 15_000);
    const incident = logged.incident as { id: string; legs: string[]; suspects: string[] };
    expect(incident.legs).toEqual(['cloudflare']);
    expect(incident.suspects).toEqual(['wan', 'cf-edge', 'tunnel']);
    const metrics = (await first.get('/metrics')).body;
    for (const s of ['wan', 'cf-edge', 'tunnel']) {
      expect(metric(metrics, `t3probe_incidents_total{suspect="${s}"}`)).toBe(1);
    }
    expect(metric(metrics, 't3probe_incidents_total{suspect="serve"}')).toBe(0);
    expect(
      metric(metrics, 't3probe_disconnects_total{leg="cloudflare",reason="abnormal_close"}') +
        metric(metrics, 't3probe_disconnects_total{leg="cloudflare",reason="reset"}')
    ).toBe(1);
    expect((await first.stop()).code).toBe(0);

    const second = await ProbeProcess.start(cfg);
    const after = (await second.get('/api/v1/incidents')).json().incidents;
    expect(after.map((i) => i.id)).toEqual([incident.id]);
    const events = (await second.get('/api/v1/events')).json().events;
    // The moment cloudflare failed, the other legs sent one extra heartbeat each, answered in time.
    const checks = (await second.get('/api/v1/events?type=heartbeat'))
      .json()
      .events.filter((e): e is HeartbeatEvent => e.type === 'heartbeat');
    expect(checks.map((c) => c.leg).sort()).toEqual(['internal', 't3serve']);
    expect(checks.every((c) => typeof c.rttMs === 'number' && c.rttMs < 1_000)).toBe(true);
    expect(events.filter((e) => e.type === 'disconnect')).toHaveLength(1);
    // Not handed out a second time after the restart.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(second.lines.filter((l) => l.msg === 'incident')).toEqual([]);
  });

  it('kill -9 with a torn record at the end: closed incidents survive, the torn tail is dropped and reported', async () => {
    const lab = await startLab();
    const cfg = lab.writeProbeConfig();
    const dataDir = join(lab.dir, 'probe-data');
    const first = await ProbeProcess.start(cfg);
    await first.waitLegs((ls) => ls.every((l) => l.connected));
    await lab.kill('traefik');
    await first.waitForLine((l) => l.msg === 'disconnect', 5_000);
    await lab.restart('traefik');
    const logged = await first.waitForLine((l) => l.msg === 'incident', 15_000);
    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // What a kill in the middle of a write leaves: half a record without its newline.
    const eventsDir = join(dataDir, 'events');
    const newest = readdirSync(eventsDir).sort().at(-1)!;
    appendFileSync(join(eventsDir, newest), '{"type":"disconnect","leg":"inter');

    const second = await ProbeProcess.start(cfg);
    const warned = await second.waitForLine((l) => l.msg === 'dropped a torn record at the end of a store file', 2_000);
    expect(warned.droppedBytes).toBe(33);
    const ids = (await second.get('/api/v1/incidents')).json().incidents.map((i) => i.id);
    expect(ids).toContain((logged.incident as { id: string }).id);
    const metrics = (await second.get('/metrics')).body;
    expect(metric(metrics, 't3probe_store_errors_total{op="recover"}')).toBe(1);
    expect(storedEvents(dataDir).every((e) => typeof e.type === 'string')).toBe(true);
    expect((await second.stop()).code).toBe(0);
  });

  it('SIGSTOP of the probe longer than every watchdog: a probe_stall, and no leg blamed', async () => {
    const lab = await startLab();
    const probe = await ProbeProcess.start(lab.writeProbeConfig());
    await probe.waitLegs((ls) => ls.every((l) => l.connected));
    await new Promise((r) => setTimeout(r, 1_000));
    probe.signal('SIGSTOP');
    await new Promise((r) => setTimeout(r, 5_000)); // the watchdogs are 2 s
    probe.signal('SIGCONT');
    const stall = await probe.waitForLine((l) => l.msg === 'probe_stall', 3_000);
    expect((stall.event as { durationMs: number }).durationMs).toBeGreaterThan(4_000);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(probe.lines.filter((l) => l.msg === 'disconnect')).toEqual([]);
    const metrics = (await probe.get('/metrics')).body;
    expect(metric(metrics, 't3probe_probe_stalls_total')).toBeGreaterThanOrEqual(1);
    expect(metric(metrics, 't3probe_event_loop_lag_seconds_bucket{le="+Inf"}')).toBeGreaterThan(10);
    expect((await probe.get('/api/v1/legs')).json().legs.every((l) => l.connected)).toBe(true);
  });

  it('api.tokenFile guards /api/* but not /metrics', async () => {
    const lab = await startLab();
    const tokenFile = join(lab.dir, 'api-token');
    writeFileSync(tokenFile, 'api-s3cret\n');
    const probe = await ProbeProcess.start(lab.writeProbeConfig({ extra: { api: { tokenFile } } }));
    expect((await probe.get('/api/v1/legs')).status).toBe(401);
    expect((await probe.get('/api/v1/legs', { authorization: 'Bearer api-s3cret' })).status).toBe(200);
    expect((await probe.get('/metrics')).status).toBe(200);
  });
});

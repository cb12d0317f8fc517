// The lab itself, with every segment a real process: traffic through the chains, and each fault doing
// what its name says. Each test gets a fresh lab (about 1.5 s to start) so faults never leak between tests.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './child';
import { HOPS, Lab, type SegmentName } from './lab';
import { LEG_SEGMENTS, type LegName } from './probe-config';
import { CURRENT_PROTOCOL_VERSION } from './t3-standin';
import { closed, nextMessage, openWs, pingRtt, processRunning, t3Url } from './test-client';
import { labsUnderTest } from '../tests/support/labs-under-test';
import { waitFor, withTimeout } from './wait';

const { startLab, open } = labsUnderTest();

describe('lab traffic', () => {
  it('carries Ping→Pong and server.probe through the full cloudflare chain', async () => {
    const l = await startLab();
    const ws = await open(l.clientUrl('cloudflare'));
    expect(await pingRtt(ws, 2_000)).toBeLessThan(1_500); // loose: the machine may be busy
    ws.send(JSON.stringify({ _tag: 'Request', id: '1', tag: 'server.probe', payload: {}, headers: [] }));
    expect(await nextMessage(ws, 2_000)).toEqual({
      _tag: 'Exit',
      requestId: '1',
      exit: { _tag: 'Success', value: {} },
    });
    expect((await l.serve.state()).counters).toMatchObject({ connectionsOpen: 1, pingsSeen: 1, requestsSeen: 1 });
  });

  it('carries the internal and t3serve legs on their own entry ports', async () => {
    const l = await startLab();
    expect(new Set(Object.values(l.ports)).size).toBe(7);
    expect(l.legUrls.internal).toBe(`ws://127.0.0.1:${l.ports.traefik}/ws`);
    await pingRtt(await open(l.clientUrl('internal')), 2_000);
    const res = await fetch(l.legUrls.t3serve, { signal: AbortSignal.timeout(2_000) });
    expect(await res.json()).toMatchObject({ environmentId: 'lab-standin' });
    expect((await l.serve.state()).counters).toMatchObject({ connectionsTotal: 1, environmentRequests: 1 });
  });

  it("answers the edge leg's trace at cf-edge itself: through a dead tunnel, but not while cf-edge is frozen", async () => {
    const l = await startLab();
    const trace = async (timeoutMs = 2_000) => {
      const res = await fetch(l.legUrls.edge!, { signal: AbortSignal.timeout(timeoutMs) });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };
    expect(await trace()).toMatchObject({ status: 200, type: 'text/plain', body: expect.stringMatching(/^fl=lab\n/) });
    // With the tunnel dead nothing could be relayed: the answer is cf-edge's own.
    await l.kill('tunnel');
    expect((await trace()).status).toBe(200);
    l.freeze('cf-edge');
    await expect(trace(800)).rejects.toThrow();
    l.thaw('cf-edge');
    expect((await trace()).status).toBe(200);
  });

  it('gives the tcp legs the traefik and devvm-net relays to connect to', async () => {
    const l = await startLab();
    expect(l.legUrls.traefik).toBe(`tcp://127.0.0.1:${l.ports.traefik}`);
    expect(l.legUrls['devvm-net']).toBe(`tcp://127.0.0.1:${l.ports['devvm-net']}`);
  });

  it('is wired so that freezing a segment silences exactly the legs configured to traverse it', async () => {
    const l = await startLab();
    const ws = { cloudflare: await open(l.clientUrl('cloudflare')), internal: await open(l.clientUrl('internal')) };
    const answers = async (leg: LegName): Promise<boolean> => {
      if (leg === 't3serve') {
        return fetch(l.legUrls.t3serve, { signal: AbortSignal.timeout(700) }).then(
          () => true,
          () => false
        );
      }
      return pingRtt(ws[leg], 700).then(
        () => true,
        () => false
      );
    };
    for (const segment of ['serve', ...HOPS] as SegmentName[]) {
      l.freeze(segment);
      const quiet: LegName[] = [];
      for (const leg of ['cloudflare', 'internal', 't3serve'] as const) {
        if (!(await answers(leg))) {
          quiet.push(leg);
        }
      }
      // Listen for the held Pongs before thawing: they may arrive in any order, all at once.
      const held = quiet.filter((leg) => leg !== 't3serve').map((leg) => nextMessage(ws[leg], 3_000));
      l.thaw(segment);
      const pongs = await Promise.allSettled(held);
      const expected = (Object.keys(LEG_SEGMENTS) as LegName[]).filter((leg) => LEG_SEGMENTS[leg].includes(segment));
      expect(quiet, `frozen ${segment}`).toEqual(expected);
      for (const p of pongs) {
        expect(p).toEqual({ status: 'fulfilled', value: { _tag: 'Pong' } });
      }
    }
  });

  it('delays Pongs by the pong delay set at run time', async () => {
    const l = await startLab();
    const ws = await open(l.clientUrl('cloudflare'));
    await l.serve.setPongDelay(800);
    const slow = await pingRtt(ws, 3_000);
    expect(slow).toBeGreaterThanOrEqual(795);
    expect(slow).toBeLessThan(1_600); // the set delay plus the chain, with room for a busy machine
    await l.serve.setPongDelay(0);
    expect(await pingRtt(ws, 2_000)).toBeLessThan(600);
  });

  it('closes every client with the code asked for, through the chain', async () => {
    const l = await startLab();
    const ws = await open(l.clientUrl('cloudflare'));
    expect(await l.serve.closeAll(4001, 'lab')).toBe(1);
    expect(await closed(ws, 3_000)).toBe(4001);
  });
});

describe('lab ticket auth', () => {
  it('refuses no ticket, accepts a fresh one again and again, refuses a wrong token', async () => {
    const l = await startLab({ auth: 'ticket', token: 'lab-secret' });
    await expect(open(l.clientUrl('cloudflare'))).rejects.toThrow('HTTP 401');
    // Bought through the same chain, as a probe would.
    const { ticket } = await l.serve.ticket(`http://127.0.0.1:${l.ports.wan}`);
    const ws = await open(l.clientUrl('cloudflare', { wsTicket: ticket }));
    await pingRtt(ws, 2_000);
    await pingRtt(await open(l.clientUrl('internal', { wsTicket: ticket })), 2_000); // not single-use
    await expect(l.serve.ticket(undefined, 'wrong')).rejects.toThrow('HTTP 401 invalid_credential');
    expect(readFileSync(l.tokenFile, 'utf8').trim()).toBe('lab-secret');
    const legs = l.probeConfig().legs;
    expect(legs.filter((leg) => leg.type === 'websocket').map((leg) => leg.auth)).toEqual([
      { tokenFile: l.tokenFile, recheck: '1s' },
      { tokenFile: l.tokenFile, recheck: '1s' },
    ]);
  });

  it('revokeToken: the old token and its tickets stop working at once, open sockets stay, the file is kept', async () => {
    const l = await startLab({ auth: 'ticket', token: 'lab-secret' });
    const { ticket } = await l.serve.ticket();
    const ws = await open(l.clientUrl('cloudflare', { wsTicket: ticket }));
    const fresh = await l.revokeToken();
    expect(fresh).not.toBe('lab-secret');
    expect(l.serve.token).toBe(fresh);
    await expect(l.serve.ticket(undefined, 'lab-secret')).rejects.toThrow('HTTP 401 invalid_credential');
    await expect(open(l.clientUrl('cloudflare', { wsTicket: ticket }))).rejects.toThrow('HTTP 401');
    await pingRtt(ws, 2_000); // opened before the revocation: still up, as in t3
    expect(readFileSync(l.tokenFile, 'utf8').trim()).toBe('lab-secret'); // the probe still holds the old one
    l.writeTokenFile(fresh);
    expect(readFileSync(l.tokenFile, 'utf8').trim()).toBe(fresh);
    const t2 = await l.serve.ticket(`http://127.0.0.1:${l.ports.wan}`);
    await pingRtt(await open(l.clientUrl('cloudflare', { wsTicket: t2.ticket })), 2_000);
    expect((await l.serve.state()).counters.tokenChanges).toBe(1);
  });

  it('setToken survives a restart of serve; heal() puts the start token back on both sides', async () => {
    const l = await startLab({ auth: 'ticket', token: 'lab-secret' });
    expect(await l.setToken('rotated-1')).toEqual({ changed: true, ticketsRevoked: 0 });
    await l.restart('serve');
    await expect(l.serve.ticket(undefined, 'lab-secret')).rejects.toThrow('HTTP 401');
    await l.serve.ticket(undefined, 'rotated-1');
    l.writeTokenFile('rotated-1');
    await expect(l.setToken('has space')).rejects.toThrow('token must be a non-empty string');
    await l.heal();
    expect(l.serve.token).toBe('lab-secret');
    await l.serve.ticket(undefined, 'lab-secret');
    await expect(l.serve.ticket(undefined, 'rotated-1')).rejects.toThrow('HTTP 401');
    expect(readFileSync(l.tokenFile, 'utf8').trim()).toBe('lab-secret');
  });
});

describe('lab server generations', () => {
  it('plays a current server by default: a plain /ws URL gets 426 through the chain, the versioned one works', async () => {
    const l = await startLab();
    expect(l.protocolVersion).toBe(CURRENT_PROTOCOL_VERSION);
    expect(l.clientUrl('cloudflare')).toBe(`${l.legUrls.cloudflare}?orchestrationProtocol=${CURRENT_PROTOCOL_VERSION}`);
    const descriptor = (await (await fetch(l.legUrls.t3serve)).json()) as Record<string, unknown>;
    expect(descriptor.orchestrationProtocolVersion).toBe(CURRENT_PROTOCOL_VERSION);
    await expect(open(l.legUrls.cloudflare)).rejects.toThrow('HTTP 426');
    await pingRtt(await open(l.clientUrl('cloudflare')), 2_000);
  });

  it('plays an older server with protocolVersion null, and switches at run time', async () => {
    const l = await startLab({ protocolVersion: null });
    expect(l.clientUrl('internal')).toBe(l.legUrls.internal);
    const descriptor = (await (await fetch(l.legUrls.t3serve)).json()) as Record<string, unknown>;
    expect('orchestrationProtocolVersion' in descriptor).toBe(false);
    await pingRtt(await open(l.legUrls.cloudflare), 2_000);
    await l.setProtocolVersion(3);
    expect(l.protocolVersion).toBe(3);
    await expect(open(l.legUrls.cloudflare)).rejects.toThrow('HTTP 426');
    await expect(open(t3Url(l.legUrls.cloudflare, 2))).rejects.toThrow('HTTP 426');
    await pingRtt(await open(l.clientUrl('cloudflare')), 2_000);
    await l.heal();
    expect(l.protocolVersion).toBeNull();
    await pingRtt(await open(l.legUrls.internal), 2_000);
  });

  it('setForbid: every upgrade through the chain gets 403 until it is lifted', async () => {
    const l = await startLab();
    await l.setForbid(true);
    await expect(open(l.clientUrl('cloudflare'))).rejects.toThrow('HTTP 403');
    await expect(l.serve.ticket()).rejects.toThrow('HTTP 403 forbidden');
    await l.setForbid(false);
    await pingRtt(await open(l.clientUrl('cloudflare')), 2_000);
  });

  it('names a bad protocol version before starting anything', async () => {
    await expect(Lab.start({ protocolVersion: 0 })).rejects.toThrow(
      'Lab: protocolVersion must be a positive integer or null, got 0'
    );
  });
});

describe('lab faults', () => {
  it('freeze of a hop: pings go unanswered, TCP stays open, other legs unaffected; thaw delivers', async () => {
    const l = await startLab();
    const cf = await open(l.clientUrl('cloudflare'));
    const internal = await open(l.clientUrl('internal'));
    let cfClosed = false;
    cf.once('close', () => (cfClosed = true));
    l.freeze('tunnel');
    const before = (await l.serve.state()).counters.pingsSeen;
    cf.send('{"_tag":"Ping"}');
    await expect(nextMessage(cf, 1_500)).rejects.toThrow('no result within 1500ms');
    expect(cfClosed).toBe(false);
    expect(cf.readyState).toBe(cf.OPEN);
    expect((await l.serve.state()).counters.pingsSeen).toBe(before); // held in the frozen hop
    await pingRtt(internal, 2_000); // tunnel is not on the internal leg
    await expect(openWs(l.clientUrl('cloudflare'), 800)).rejects.toThrow(); // new connections vanish too
    l.thaw('tunnel');
    expect(await nextMessage(cf, 3_000)).toEqual({ _tag: 'Pong' });
    await pingRtt(cf, 2_000);
  });

  it('serve.freeze stalls the serve process: every leg goes quiet, then recovers on thaw', async () => {
    const l = await startLab();
    const internal = await open(l.clientUrl('internal'));
    l.serve.freeze();
    await expect(pingRtt(internal, 1_000)).rejects.toThrow('no result');
    await expect(fetch(l.legUrls.t3serve, { signal: AbortSignal.timeout(800) })).rejects.toThrow();
    await expect(l.serve.state()).rejects.toThrow(); // the control API is in the same frozen process
    l.serve.thaw();
    expect(await nextMessage(internal, 3_000)).toEqual({ _tag: 'Pong' });
    expect((await fetch(l.legUrls.t3serve, { signal: AbortSignal.timeout(2_000) })).status).toBe(200);
  }, 20_000);

  it('serve.silence: pings reach the server and go unanswered until resume', async () => {
    const l = await startLab();
    const ws = await open(l.clientUrl('cloudflare'));
    await l.serve.silence();
    await expect(pingRtt(ws, 1_000)).rejects.toThrow('no result');
    expect(ws.readyState).toBe(ws.OPEN);
    expect((await l.serve.state()).counters).toMatchObject({ pingsSeen: 1, pongsSent: 0 });
    await l.serve.resume();
    await pingRtt(ws, 2_000);
  });

  it('kill of a hop drops the legs through it only; restart on the same port restores service', async () => {
    const l = await startLab();
    const cf = await open(l.clientUrl('cloudflare'));
    const internal = await open(l.clientUrl('internal'));
    const port = l.ports['cf-edge'];
    await l.kill('cf-edge');
    expect(l.alive('cf-edge')).toBe(false);
    expect(await closed(cf, 3_000)).toBe(1006);
    await pingRtt(internal, 2_000);
    await expect(openWs(l.clientUrl('cloudflare'), 2_000)).rejects.toThrow();
    await l.restart('cf-edge');
    expect(l.ports['cf-edge']).toBe(port);
    await pingRtt(await open(l.clientUrl('cloudflare')), 2_000);
  });

  it('kill of serve drops every leg; restart brings it back with its control port', async () => {
    const l = await startLab();
    const cf = await open(l.clientUrl('cloudflare'));
    const internal = await open(l.clientUrl('internal'));
    await l.serve.setPongDelay(100);
    await l.kill('serve');
    expect(await closed(cf, 3_000)).toBe(1006);
    expect(await closed(internal, 3_000)).toBe(1006);
    await expect(fetch(l.legUrls.t3serve, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    await l.restart('serve');
    expect((await l.serve.state()).settings.pongDelayMs).toBe(0); // a fresh process with the start options
    await pingRtt(await open(l.clientUrl('cloudflare')), 2_000);
    expect((await fetch(l.legUrls.t3serve, { signal: AbortSignal.timeout(2_000) })).status).toBe(200);
  });

  it('restart of a frozen hop replaces it', async () => {
    const l = await startLab();
    l.freeze('traefik');
    await expect(openWs(l.clientUrl('internal'), 800)).rejects.toThrow();
    await l.restart('traefik');
    await pingRtt(await open(l.clientUrl('internal')), 2_000);
  });

  it('heal() undoes a frozen hop, a killed hop and a slow, silent serve', async () => {
    const l = await startLab();
    l.freeze('cf-edge');
    await l.kill('tunnel');
    l.freeze('dispatch');
    await l.serve.update({ pongDelayMs: 5_000, httpDelayMs: 5_000, silent: true });
    await l.heal();
    expect(HOPS.every((hop) => l.alive(hop))).toBe(true);
    expect((await l.serve.state()).settings).toMatchObject({ pongDelayMs: 0, httpDelayMs: 0, silent: false });
    expect(await pingRtt(await open(l.clientUrl('cloudflare')), 2_000)).toBeLessThan(1_500);
    expect(await pingRtt(await open(l.clientUrl('internal')), 2_000)).toBeLessThan(1_500);
    expect((await fetch(l.legUrls.t3serve, { signal: AbortSignal.timeout(2_000) })).status).toBe(200);
  });

  it('names a bad host or base port before starting anything', async () => {
    await expect(Lab.start({ host: 'localhost' })).rejects.toThrow('Lab: host must be an IP address');
    await expect(Lab.start({ basePort: 65530 })).rejects.toThrow('Lab: basePort must be an integer from 1 to 65529');
  });

  it('names an unknown segment', async () => {
    const l = await startLab();
    expect(() => l.freeze('cloudflare' as never)).toThrow(
      'unknown lab segment "cloudflare" (known: serve, wan, cf-edge'
    );
  });
});

describe('lab cleanup', () => {
  it('stop() kills every lab process, even frozen ones, and is safe to call twice', async () => {
    const l = await startLab();
    const pids = l.pids();
    expect(pids).toHaveLength(7);
    l.freeze('wan');
    l.serve.freeze();
    await l.stop();
    expect(pids.filter(processRunning)).toEqual([]);
    await l.stop();
    expect(() => l.freeze('wan')).toThrow('the lab has been stopped');
  });

  it('lab processes exit when the process that started them dies', async () => {
    const script = `const { Lab } = await import('./lab/lab.ts');
      const lab = await Lab.start();
      console.log(JSON.stringify(lab.pids()));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await withTimeout(
        new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))),
        20_000,
        'lab pids from the parent'
      );
      const pids = JSON.parse(line) as number[];
      expect(pids).toHaveLength(7);
      expect(pids.every(processRunning)).toBe(true);
      parent.kill('SIGKILL'); // no exit hook runs: only the closed stdin pipes tell the children
      await waitFor(() => pids.every((p) => !processRunning(p)), {
        timeoutMs: 5_000,
        what: 'orphaned lab processes gone',
      });
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

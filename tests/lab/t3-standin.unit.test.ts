// The stand-in in-process: routes, ticket auth, control API. Real sockets on 127.0.0.1, no child processes.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStandin, type Standin, type StandinOptions } from './t3-standin';
import { closed, nextMessage, openWs, pingRtt } from './test-client';
import { sleep, waitFor } from './wait';

let standin: Standin | undefined;
const clients: WebSocket[] = [];

async function start(opts: StandinOptions = {}): Promise<Standin> {
  standin = await startStandin(opts);
  return standin;
}

async function connect(s: Standin, query = ''): Promise<WebSocket> {
  const ws = await openWs(`ws://127.0.0.1:${s.port}/ws${query}`, 2_000);
  clients.push(ws);
  return ws;
}

async function control(s: Standin, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${s.controlPort}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(2_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function buyTicket(s: Standin, token = 'lab-token') {
  const res = await fetch(`http://127.0.0.1:${s.port}/api/auth/websocket-ticket`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(2_000),
  });
  return { status: res.status, body: (await res.json()) as { ticket?: string; expiresAt?: string; error?: string } };
}

afterEach(async () => {
  for (const ws of clients.splice(0)) {
    ws.terminate();
  }
  await standin?.close();
  standin = undefined;
});

describe('stand-in HTTP routes', () => {
  it('serves the environment descriptor without auth', async () => {
    const s = await start({ auth: 'ticket' });
    const res = await fetch(`http://127.0.0.1:${s.port}/.well-known/t3/environment`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ environmentId: 'lab-standin', serverVersion: '0.0.0-standin' });
    expect(s.state().counters.environmentRequests).toBe(1);
  });

  it('answers unknown routes with 404 and a plain GET /ws with 426', async () => {
    const s = await start();
    const notFound = await fetch(`http://127.0.0.1:${s.port}/api/orchestration/snapshot`);
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: string }).error).toContain('/api/orchestration/snapshot');
    expect((await fetch(`http://127.0.0.1:${s.port}/ws`)).status).toBe(426);
    await expect(openWs(`ws://127.0.0.1:${s.port}/other`, 2_000)).rejects.toThrow('HTTP 404');
  });

  it('sells tickets only for the right bearer token', async () => {
    const s = await start({ token: 'secret' });
    expect((await buyTicket(s, 'wrong')).status).toBe(401);
    const ok = await buyTicket(s, 'secret');
    expect(ok.status).toBe(200);
    expect(ok.body.ticket).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(Date.parse(ok.body.expiresAt ?? '') - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(s.state().counters.ticketsIssued).toBe(1);
  });
});

describe('stand-in ticket auth', () => {
  it('refuses an upgrade without a ticket and with an unknown one', async () => {
    const s = await start({ auth: 'ticket' });
    await expect(connect(s)).rejects.toThrow('HTTP 401');
    await expect(connect(s, '?wsTicket=made-up')).rejects.toThrow('HTTP 401');
    expect(s.state().counters.upgradesRejected).toBe(2);
  });

  it('accepts a ticket once', async () => {
    const s = await start({ auth: 'ticket' });
    const { ticket } = (await buyTicket(s)).body;
    const ws = await connect(s, `?wsTicket=${ticket}&clientSurface=lab`);
    expect(await pingRtt(ws, 1_000)).toBeGreaterThanOrEqual(0);
    await expect(connect(s, `?wsTicket=${ticket}`)).rejects.toThrow('HTTP 401');
  });

  it('refuses an expired ticket', async () => {
    const s = await start({ auth: 'ticket', ticketTtlMs: 50 });
    const { ticket } = (await buyTicket(s)).body;
    await sleep(120);
    await expect(connect(s, `?wsTicket=${ticket}`)).rejects.toThrow('HTTP 401');
  });

  it('needs no ticket with auth none', async () => {
    const s = await start();
    await expect(pingRtt(await connect(s), 1_000)).resolves.toBeGreaterThanOrEqual(0);
  });
});

describe('stand-in WebSocket', () => {
  it('answers Ping, server.probe and garbage on one socket and counts them', async () => {
    const s = await start();
    const ws = await connect(s);
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    ws.send(
      JSON.stringify([{ _tag: 'Ping' }, { _tag: 'Request', id: '5', tag: 'server.probe', payload: {}, headers: [] }])
    );
    ws.send('not json');
    ws.send(Buffer.from([1, 2, 3]));
    await waitFor(() => replies.length === 4, { timeoutMs: 2_000, what: '4 replies' });
    expect(replies).toEqual([
      { _tag: 'Pong' },
      { _tag: 'Exit', requestId: '5', exit: { _tag: 'Success', value: {} } },
      { _tag: 'Defect', defect: 'frame is not JSON: not json' },
      { _tag: 'Defect', defect: 'binary frames are not part of the protocol' },
    ]);
    expect(s.state().counters).toMatchObject({
      connectionsOpen: 1,
      pingsSeen: 1,
      pongsSent: 1,
      requestsSeen: 1,
      exitsSent: 1,
      garbageSeen: 2,
    });
  });

  it('delays Pongs by pongDelayMs, set at run time', async () => {
    const s = await start();
    const ws = await connect(s);
    expect(await pingRtt(ws, 1_000)).toBeLessThan(295);
    const { status } = await control(s, 'POST', '/settings', { pongDelayMs: 300 });
    expect(status).toBe(200);
    const rtt = await pingRtt(ws, 2_000);
    expect(rtt).toBeGreaterThanOrEqual(295);
    expect(rtt).toBeLessThan(900);
  });

  it('answers nothing while silent, keeps counting, and answers again after resume', async () => {
    const s = await start();
    const ws = await connect(s);
    await control(s, 'POST', '/settings', { silent: true });
    await expect(pingRtt(ws, 400)).rejects.toThrow('no result within 400ms');
    ws.send('{"_tag":"Request","id":"1","tag":"server.probe"}');
    await expect(nextMessage(ws, 200)).rejects.toThrow('no result');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(s.state().counters).toMatchObject({ pingsSeen: 1, pongsSent: 0, requestsSeen: 1, exitsSent: 0 });
    await control(s, 'POST', '/settings', { silent: false });
    await expect(pingRtt(ws, 1_000)).resolves.toBeGreaterThanOrEqual(0);
  });

  it('treats RFC 6455 ping frames like Pings: delayed and silenced', async () => {
    const s = await start({ pongDelayMs: 200 });
    const ws = await connect(s);
    const pong = (ms: number) =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const timer = setTimeout(() => reject(new Error('no pong frame')), ms);
        ws.once('pong', () => {
          clearTimeout(timer);
          resolve(performance.now() - t0);
        });
        ws.ping();
      });
    expect(await pong(1_000)).toBeGreaterThanOrEqual(195);
    s.update({ silent: true });
    await expect(pong(400)).rejects.toThrow('no pong frame');
    expect(s.state().counters.rfcPingsSeen).toBe(2);
  });

  it('closes every socket with the requested code', async () => {
    const s = await start();
    const [a, b] = [await connect(s), await connect(s)];
    const res = await control(s, 'POST', '/close-all', { code: 4001, reason: 'lab' });
    expect(res.body).toEqual({ closed: 2 });
    expect(await closed(a!, 2_000)).toBe(4001);
    expect(await closed(b!, 2_000)).toBe(4001);
    await waitFor(() => s.state().counters.connectionsOpen === 0, { timeoutMs: 2_000, what: 'no open connections' });
    expect(s.state().counters.connectionsTotal).toBe(2);
  });

  it('terminates sockets without a close frame (the client sees 1006)', async () => {
    const s = await start();
    const ws = await connect(s);
    expect((await control(s, 'POST', '/terminate-all')).body).toEqual({ terminated: 1 });
    expect(await closed(ws, 2_000)).toBe(1006);
  });
});

describe('stand-in control API', () => {
  it.each([
    [{ pongDelayMs: -5 }, 'pongDelayMs must be a number >= 0, got -5'],
    [{ pongDelayMs: '5' }, 'pongDelayMs must be a number >= 0, got "5"'],
    [{ silent: 'yes' }, 'silent must be true or false'],
    [{ auth: 'cookie' }, 'auth must be "none" or "ticket"'],
    [{ ticketTtlMs: 0 }, 'ticketTtlMs must be a number > 0'],
    [{ pongDelay: 5 }, 'unknown setting pongDelay'],
    [[1], 'settings must be a JSON object'],
  ])('rejects settings %j with 400 naming the problem', async (body, error) => {
    const s = await start();
    const res = await control(s, 'POST', '/settings', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(error);
    expect(s.state().settings).toEqual({
      pongDelayMs: 0,
      silent: false,
      httpDelayMs: 0,
      auth: 'none',
      ticketTtlMs: 300_000,
    });
  });

  it('rejects a close code that cannot be sent, a non-JSON body and unknown routes', async () => {
    const s = await start();
    for (const code of [1005, 1006, 999, 2000, 5000]) {
      const res = await control(s, 'POST', '/close-all', { code });
      expect(res.status, `code ${code}`).toBe(400);
      expect(res.body.error).toContain(`code ${code} cannot be sent`);
    }
    expect((await control(s, 'POST', '/close-all', {})).body.error).toBe('close-all: code must be a number');
    const bad = await fetch(`http://127.0.0.1:${s.controlPort}/settings`, { method: 'POST', body: '{' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('body is not JSON');
    expect((await control(s, 'GET', '/nope')).status).toBe(404);
  });

  it('switches auth at run time and resets counters', async () => {
    const s = await start();
    await connect(s);
    await control(s, 'POST', '/settings', { auth: 'ticket' });
    await expect(connect(s)).rejects.toThrow('HTTP 401');
    const after = await control(s, 'POST', '/reset-counters');
    expect(after.body.counters).toMatchObject({ connectionsOpen: 1, connectionsTotal: 0, upgradesRejected: 0 });
  });

  it('delays the environment route by httpDelayMs', async () => {
    const s = await start({ httpDelayMs: 250 });
    const t0 = performance.now();
    await fetch(`http://127.0.0.1:${s.port}/.well-known/t3/environment`);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(245);
  });
});

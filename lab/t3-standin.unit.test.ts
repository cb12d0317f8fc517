// The stand-in in-process: routes, ticket auth, control API. Real sockets on 127.0.0.1, no child processes.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CURRENT_PROTOCOL_VERSION,
  INDEX_HTML,
  parseProtocolVersion,
  startStandin,
  validateSettings,
  type Standin,
  type StandinOptions,
  type StandinSettings,
} from './t3-standin';
import { closed, nextMessage, openWs, pingRtt, t3Url, upgradeAnswer, type OpenWsOptions } from './test-client';
import { waitFor } from './wait';

let standin: Standin | undefined;
const clients: WebSocket[] = [];

async function start(opts: StandinOptions = {}): Promise<Standin> {
  standin = await startStandin(opts);
  return standin;
}

/** The /ws URL as a current client dials it (with orchestrationProtocol), plus `query` parameters. */
function wsUrl(s: Standin, query: Record<string, string> = {}, version: number | null = CURRENT_PROTOCOL_VERSION) {
  return t3Url(`ws://127.0.0.1:${s.port}/ws`, version, query);
}

async function connect(s: Standin, query: Record<string, string> = {}, opts: OpenWsOptions = {}): Promise<WebSocket> {
  const ws = await openWs(wsUrl(s, query), 2_000, opts);
  clients.push(ws);
  return ws;
}

const DEFAULT_SETTINGS: StandinSettings = {
  pongDelayMs: 0,
  silent: false,
  httpDelayMs: 0,
  auth: 'none',
  ticketTtlMs: 300_000,
  protocolVersion: 2,
  forbid: false,
  perMessageDeflate: true,
};

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
  return {
    status: res.status,
    body: (await res.json()) as { ticket?: string; expiresAt?: string; error?: string; reason?: string },
  };
}

async function buyTicketWith(s: Standin, headers: Record<string, string>) {
  const res = await fetch(`http://127.0.0.1:${s.port}/api/auth/websocket-ticket`, {
    method: 'POST',
    headers,
    signal: AbortSignal.timeout(2_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function descriptor(s: Standin): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${s.port}/.well-known/t3/environment`, {
    signal: AbortSignal.timeout(2_000),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
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
    expect(await descriptor(s)).toMatchObject({ environmentId: 'lab-standin', serverVersion: '0.0.0-standin' });
    expect(s.state().counters.environmentRequests).toBe(1);
  });

  it('answers unknown paths, /health and / with the 200 HTML fallback page, and a plain GET /ws with 426', async () => {
    const s = await start();
    for (const path of ['/health', '/', '/api/orchestration/snapshot', '/some/app/route?x=1']) {
      const res = await fetch(`http://127.0.0.1:${s.port}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      const text = await res.text();
      expect(text, path).toBe(INDEX_HTML);
      expect(text.startsWith('<!doctype html>')).toBe(true);
    }
    const head = await fetch(`http://127.0.0.1:${s.port}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(s.state().counters.htmlFallbacks).toBe(5);
    const post = await fetch(`http://127.0.0.1:${s.port}/health`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(((await post.json()) as { error: string }).error).toBe('no route POST /health');
    const ws = await fetch(`http://127.0.0.1:${s.port}/ws`);
    expect(ws.status).toBe(426);
    expect(await ws.json()).toEqual({ error: '/ws needs a WebSocket upgrade' });
    expect(s.state().counters.htmlFallbacks).toBe(5);
    await expect(openWs(t3Url(`ws://127.0.0.1:${s.port}/other`), 2_000)).rejects.toThrow('HTTP 404');
  });

  it('sells tickets only for the right bearer token, saying why it refuses', async () => {
    const s = await start({ token: 'secret' });
    expect(await buyTicket(s, 'wrong')).toEqual({
      status: 401,
      body: { error: expect.stringContaining('bearer token is not valid') as string, reason: 'invalid_credential' },
    });
    expect(await buyTicketWith(s, {})).toEqual({
      status: 401,
      body: { error: expect.stringContaining('no credential') as string, reason: 'missing_credential' },
    });
    expect((await buyTicketWith(s, { Authorization: 'Basic c2VjcmV0' })).body).toMatchObject({
      reason: 'invalid_credential',
      error: 'the Authorization header is not a bearer token',
    });
    const ok = await buyTicket(s, 'secret');
    expect(ok.status).toBe(200);
    expect(ok.body.ticket).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(Date.parse(ok.body.expiresAt ?? '') - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(s.state().counters).toMatchObject({ ticketsIssued: 1, ticketsRefused: 3 });
  });
});

describe('stand-in protocol version', () => {
  it('plays a current server by default: descriptor with the version and connectionProbe', async () => {
    expect(CURRENT_PROTOCOL_VERSION).toBe(2);
    const s = await start();
    expect(s.state().settings.protocolVersion).toBe(CURRENT_PROTOCOL_VERSION);
    const d = await descriptor(s);
    expect(d.orchestrationProtocolVersion).toBe(CURRENT_PROTOCOL_VERSION);
    expect(d.capabilities).toEqual({ websocket: true, connectionProbe: true });
  });

  it('refuses an upgrade without orchestrationProtocol, or with another value, with 426 protocol_version', async () => {
    const s = await start();
    const base = `ws://127.0.0.1:${s.port}/ws`;
    expect(await upgradeAnswer(base)).toEqual({
      status: 426,
      contentType: 'application/json',
      body: { error: 'orchestrationProtocol=2 is required', reason: 'protocol_version' },
    });
    for (const wrong of ['1', '3', '02', '']) {
      const answer = await upgradeAnswer(`${base}?orchestrationProtocol=${wrong}`);
      expect(answer, `orchestrationProtocol=${wrong}`).toMatchObject({
        status: 426,
        body: {
          error: `orchestrationProtocol ${JSON.stringify(wrong)} is not supported: this server speaks 2`,
          reason: 'protocol_version',
        },
      });
    }
    expect((await upgradeAnswer(`${base}?clientSurface=web&orchestrationProtocol=2`)).status).toBe(101);
    expect(s.state().counters).toMatchObject({ upgradesRejected: 5, upgradesRejectedVersion: 5 });
  });

  it('checks the version before any auth: a good ticket without the version still gets 426', async () => {
    const s = await start({ auth: 'ticket' });
    const { ticket } = (await buyTicket(s)).body;
    const noVersion = await upgradeAnswer(`ws://127.0.0.1:${s.port}/ws?wsTicket=${ticket}`);
    expect(noVersion).toMatchObject({ status: 426, body: { reason: 'protocol_version' } });
    const noAuth = await upgradeAnswer(`ws://127.0.0.1:${s.port}/ws`);
    expect(noAuth).toMatchObject({ status: 426, body: { reason: 'protocol_version' } }); // not 401
    expect(s.state().counters).toMatchObject({ upgradesRejectedVersion: 2, upgradesRejectedAuth: 0 });
  });

  it('plays an older server with protocolVersion null: no field, no connectionProbe, no check', async () => {
    const s = await start({ protocolVersion: null });
    const d = await descriptor(s);
    expect('orchestrationProtocolVersion' in d).toBe(false);
    expect(d.capabilities).toEqual({ websocket: true });
    const ws = await openWs(`ws://127.0.0.1:${s.port}/ws`, 2_000);
    clients.push(ws);
    await pingRtt(ws, 1_000);
    // A client that sends a version anyway is not refused: the parameter is read leniently.
    clients.push(await openWs(`ws://127.0.0.1:${s.port}/ws?orchestrationProtocol=7`, 2_000));
    expect(s.state().counters).toMatchObject({ connectionsTotal: 2, upgradesRejected: 0 });
  });

  it('switches between current and older at run time, with another version too', async () => {
    const s = await start({ protocolVersion: null });
    const plain = `ws://127.0.0.1:${s.port}/ws`;
    expect((await upgradeAnswer(plain)).status).toBe(101);
    const res = await control(s, 'POST', '/settings', { protocolVersion: 5 });
    expect(res.status).toBe(200);
    expect((res.body.settings as StandinSettings).protocolVersion).toBe(5);
    expect((await descriptor(s)).orchestrationProtocolVersion).toBe(5);
    expect(await upgradeAnswer(plain)).toMatchObject({ status: 426 });
    expect((await upgradeAnswer(t3Url(plain, 2))).status).toBe(426);
    expect((await upgradeAnswer(t3Url(plain, 5))).status).toBe(101);
    await control(s, 'POST', '/settings', { protocolVersion: null });
    expect((await upgradeAnswer(plain)).status).toBe(101);
    expect('orchestrationProtocolVersion' in (await descriptor(s))).toBe(false);
  });

  it('parses --protocol-version N|none, naming the flag on a bad value', () => {
    expect(parseProtocolVersion('none')).toBeNull();
    expect(parseProtocolVersion('2')).toBe(2);
    expect(parseProtocolVersion('17')).toBe(17);
    for (const bad of ['0', '-1', '1.5', 'two', '', 'None', '99999999999999999999']) {
      expect(() => parseProtocolVersion(bad), bad).toThrow(
        `--protocol-version must be a positive integer or none, got ${JSON.stringify(bad)}`
      );
    }
  });
});

describe('stand-in auth (ticket mode)', () => {
  it('refuses an upgrade with no credential at all: 401 missing_credential', async () => {
    const s = await start({ auth: 'ticket' });
    expect(await upgradeAnswer(wsUrl(s))).toEqual({
      status: 401,
      contentType: 'application/json',
      body: { error: 'no credential: send a wsTicket or a bearer token', reason: 'missing_credential' },
    });
    // An empty wsTicket is no ticket: still missing.
    expect(await upgradeAnswer(wsUrl(s, { wsTicket: '' }))).toMatchObject({
      status: 401,
      body: { reason: 'missing_credential' },
    });
    await expect(connect(s)).rejects.toThrow('HTTP 401');
    expect(s.state().counters).toMatchObject({ upgradesRejected: 3, upgradesRejectedAuth: 3 });
  });

  it('refuses an unknown ticket and a wrong bearer: 401 invalid_credential', async () => {
    const s = await start({ auth: 'ticket', token: 'secret' });
    expect(await upgradeAnswer(wsUrl(s, { wsTicket: 'made-up' }))).toMatchObject({
      status: 401,
      body: { error: 'wsTicket unknown', reason: 'invalid_credential' },
    });
    expect(await upgradeAnswer(wsUrl(s), { Authorization: 'Bearer wrong' })).toMatchObject({
      status: 401,
      body: { error: 'the bearer token is not valid (wrong, expired or revoked)', reason: 'invalid_credential' },
    });
    expect(await upgradeAnswer(wsUrl(s), { Authorization: 'Basic c2VjcmV0' })).toMatchObject({
      status: 401,
      body: { reason: 'invalid_credential' },
    });
  });

  it('accepts a bearer token on the upgrade itself, as the real server does', async () => {
    const s = await start({ auth: 'ticket', token: 'secret' });
    const ws = await connect(s, {}, { headers: { Authorization: 'Bearer secret' } });
    expect(await pingRtt(ws, 1_000)).toBeGreaterThanOrEqual(0);
    expect(s.state().counters).toMatchObject({ upgradesByBearer: 1, upgradesByTicket: 0, ticketsIssued: 0 });
  });

  it('lets a ticket be redeemed again and again within its lifetime (not single-use)', async () => {
    const s = await start({ auth: 'ticket' });
    const { ticket } = (await buyTicket(s)).body;
    for (let i = 0; i < 3; i++) {
      const ws = await connect(s, { wsTicket: ticket!, clientSurface: 'lab' });
      expect(await pingRtt(ws, 1_000)).toBeGreaterThanOrEqual(0);
    }
    expect(s.state().counters).toMatchObject({ upgradesByTicket: 3, connectionsOpen: 3, ticketsIssued: 1 });
  });

  it('refuses a ticket once it has expired (injected clock), whatever the bearer', async () => {
    let now = 1_700_000_000_000;
    const s = await start({ auth: 'ticket', now: () => now });
    const { ticket, expiresAt } = (await buyTicket(s)).body;
    expect(expiresAt).toBe(new Date(now + 5 * 60_000).toISOString()); // 5 minutes by default
    now += 5 * 60_000;
    expect((await upgradeAnswer(wsUrl(s, { wsTicket: ticket! }))).status).toBe(101);
    now += 1;
    expect(await upgradeAnswer(wsUrl(s, { wsTicket: ticket! }))).toMatchObject({
      status: 401,
      body: { error: 'wsTicket expired', reason: 'invalid_credential' },
    });
    // A ticket given decides: a good bearer beside an expired ticket does not rescue it.
    expect(await upgradeAnswer(wsUrl(s, { wsTicket: ticket! }), { Authorization: 'Bearer lab-token' })).toMatchObject({
      status: 401,
      body: { reason: 'invalid_credential' },
    });
  });

  it('needs no credential with auth none', async () => {
    const s = await start();
    await expect(pingRtt(await connect(s), 1_000)).resolves.toBeGreaterThanOrEqual(0);
  });
});

describe('stand-in token rotation', () => {
  it('POST /token revokes the old token at once, keeps open sockets, and accepts the new one', async () => {
    const s = await start({ auth: 'ticket', token: 'old-token' });
    const open = await connect(s, {}, { headers: { Authorization: 'Bearer old-token' } });
    const { ticket } = (await buyTicket(s, 'old-token')).body;
    const res = await control(s, 'POST', '/token', { token: 'new-token' });
    expect(res).toEqual({ status: 200, body: { changed: true, ticketsRevoked: 1 } });
    // Revoked: the ticket route, the bearer on the upgrade, and tickets bought with the old token.
    expect(await buyTicket(s, 'old-token')).toMatchObject({ status: 401, body: { reason: 'invalid_credential' } });
    expect(await upgradeAnswer(wsUrl(s), { Authorization: 'Bearer old-token' })).toMatchObject({
      status: 401,
      body: { reason: 'invalid_credential' },
    });
    expect(await upgradeAnswer(wsUrl(s, { wsTicket: ticket! }))).toMatchObject({
      status: 401,
      body: { error: 'wsTicket unknown', reason: 'invalid_credential' },
    });
    // The socket opened with the old token stays open and answered, as in t3.
    expect(open.readyState).toBe(WebSocket.OPEN);
    expect(await pingRtt(open, 1_000)).toBeGreaterThanOrEqual(0);
    // The new token works both ways.
    const fresh = await buyTicket(s, 'new-token');
    expect(fresh.status).toBe(200);
    await pingRtt(await connect(s, { wsTicket: fresh.body.ticket! }), 1_000);
    await pingRtt(await connect(s, {}, { headers: { Authorization: 'Bearer new-token' } }), 1_000);
    expect(s.state().counters.tokenChanges).toBe(1);
  });

  it('setting the same token again changes nothing and keeps its tickets', async () => {
    const s = await start({ auth: 'ticket', token: 'same' });
    const { ticket } = (await buyTicket(s, 'same')).body;
    expect(s.setToken('same')).toEqual({ changed: false, ticketsRevoked: 0 });
    expect((await upgradeAnswer(wsUrl(s, { wsTicket: ticket! }))).status).toBe(101);
    expect(s.state().counters.tokenChanges).toBe(0);
  });

  it('never shows the token in GET /state', async () => {
    const s = await start({ token: 'very-secret-token' });
    await control(s, 'POST', '/token', { token: 'rotated-secret-token' });
    const res = await fetch(`http://127.0.0.1:${s.controlPort}/state`);
    const text = await res.text();
    expect(text).toContain('"tokenChanges":1');
    expect(text).not.toContain('secret');
  });

  it.each([
    [{}, 'token must be a non-empty string of visible ASCII characters, got undefined'],
    [{ token: '' }, 'token must be a non-empty string of visible ASCII characters, got ""'],
    [{ token: 'has space' }, 'token must be a non-empty string'],
    [{ token: 42 }, 'token must be a non-empty string of visible ASCII characters, got 42'],
    [{ token: 'ok', tokn: 'x' }, 'token: unknown key tokn'],
    [['x'], 'token: body must be a JSON object'],
  ])('rejects POST /token %j with 400 naming the key, and keeps the old token', async (body, error) => {
    const s = await start({ token: 'kept' });
    const res = await control(s, 'POST', '/token', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(error);
    expect((await buyTicket(s, 'kept')).status).toBe(200);
    expect(s.state().counters.tokenChanges).toBe(0);
  });
});

describe('stand-in forbid', () => {
  it('answers upgrades and ticket requests with 403 forbidden, even with good credentials', async () => {
    const s = await start({ auth: 'ticket', token: 'secret' });
    const { ticket } = (await buyTicket(s, 'secret')).body;
    await control(s, 'POST', '/settings', { forbid: true });
    const forbidden = {
      status: 403,
      body: { error: expect.stringContaining('forbidden') as string, reason: 'forbidden' },
    };
    expect(await upgradeAnswer(wsUrl(s, { wsTicket: ticket! }))).toMatchObject(forbidden);
    expect(await upgradeAnswer(wsUrl(s), { Authorization: 'Bearer secret' })).toMatchObject(forbidden);
    expect(await upgradeAnswer(wsUrl(s))).toMatchObject(forbidden); // not 401: forbid comes first
    expect(await buyTicket(s, 'secret')).toMatchObject(forbidden);
    expect(s.state().counters).toMatchObject({
      upgradesRejectedForbidden: 3,
      upgradesRejectedAuth: 0,
      ticketsRefused: 1,
    });
    await control(s, 'POST', '/settings', { forbid: false });
    expect((await upgradeAnswer(wsUrl(s, { wsTicket: ticket! }))).status).toBe(101);
  });

  it('forbids in auth none too, but only after the version check', async () => {
    const s = await start({ forbid: true });
    expect(await upgradeAnswer(`ws://127.0.0.1:${s.port}/ws`)).toMatchObject({
      status: 426,
      body: { reason: 'protocol_version' },
    });
    expect(await upgradeAnswer(wsUrl(s))).toMatchObject({ status: 403, body: { reason: 'forbidden' } });
    expect((await descriptor(s)).orchestrationProtocolVersion).toBe(2); // the descriptor stays open
  });
});

describe('stand-in permessage-deflate', () => {
  it('negotiates permessage-deflate when the client offers it, and counts it', async () => {
    const s = await start();
    const offered = await connect(s);
    expect(offered.extensions).toContain('permessage-deflate');
    const plain = await connect(s, {}, { perMessageDeflate: false });
    expect(plain.extensions).toBe('');
    await pingRtt(offered, 1_000);
    await pingRtt(plain, 1_000);
    expect(s.state().counters).toMatchObject({ connectionsTotal: 2, deflateNegotiated: 1 });
  });

  it('declines it with perMessageDeflate false (set at run time)', async () => {
    const s = await start();
    s.update({ perMessageDeflate: false });
    const ws = await connect(s);
    expect(ws.extensions).toBe('');
    await pingRtt(ws, 1_000);
    expect(s.state().counters.deflateNegotiated).toBe(0);
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
      defectsSent: 2,
      garbageSeen: 2,
    });
  });

  it('answers an unknown request tag with a Defect on an older server, an Exit Failure on a current one', async () => {
    const s = await start({ protocolVersion: null });
    const ws = await openWs(`ws://127.0.0.1:${s.port}/ws`, 2_000);
    clients.push(ws);
    const request = '{"_tag":"Request","id":"7","tag":"orchestration.snapshot","payload":{},"headers":[]}';
    ws.send(request);
    expect(await nextMessage(ws, 1_000)).toEqual({
      _tag: 'Defect',
      defect: 'unknown request tag "orchestration.snapshot"',
    });
    expect(s.state().counters).toMatchObject({ requestsSeen: 1, exitsSent: 0, defectsSent: 1, garbageSeen: 0 });
    s.update({ protocolVersion: CURRENT_PROTOCOL_VERSION });
    ws.send(request); // the same socket: decided per frame from the current setting
    expect(await nextMessage(ws, 1_000)).toMatchObject({
      _tag: 'Exit',
      requestId: '7',
      exit: { _tag: 'Failure', cause: { error: { _tag: 'RpcNotFound' } } },
    });
    ws.send('{"_tag":"Request","id":"8","tag":"server.probe","payload":{},"headers":[]}');
    expect(await nextMessage(ws, 1_000)).toEqual({
      _tag: 'Exit',
      requestId: '8',
      exit: { _tag: 'Success', value: {} },
    });
  });

  it('answers server.probe with an Exit on an older server too', async () => {
    const s = await start({ protocolVersion: null });
    const ws = await openWs(`ws://127.0.0.1:${s.port}/ws`, 2_000);
    clients.push(ws);
    ws.send('{"_tag":"Request","id":"1","tag":"server.probe","payload":{},"headers":[]}');
    expect(await nextMessage(ws, 1_000)).toEqual({
      _tag: 'Exit',
      requestId: '1',
      exit: { _tag: 'Success', value: {} },
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
    [{ protocolVersion: 0 }, 'protocolVersion must be a positive integer or null, got 0'],
    [{ protocolVersion: '2' }, 'protocolVersion must be a positive integer or null, got "2"'],
    [{ protocolVersion: 1.5 }, 'protocolVersion must be a positive integer or null, got 1.5'],
    [{ forbid: 1 }, 'forbid must be true or false, got 1'],
    [{ perMessageDeflate: 'no' }, 'perMessageDeflate must be true or false, got "no"'],
    [{ pongDelay: 5 }, 'unknown setting pongDelay'],
    [{ token: 'x' }, 'unknown setting token'],
    [[1], 'settings must be a JSON object'],
  ])('rejects settings %j with 400 naming the problem', async (body, error) => {
    const s = await start();
    const res = await control(s, 'POST', '/settings', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(error);
    expect(s.state().settings).toEqual(DEFAULT_SETTINGS);
  });

  it('rejects a bad start option naming it, before listening', async () => {
    await expect(startStandin({ protocolVersion: -1 })).rejects.toThrow('protocolVersion must be a positive integer');
    await expect(startStandin({ token: '' })).rejects.toThrow('token must be a non-empty string');
    expect(() => validateSettings(DEFAULT_SETTINGS, { forbid: null } as never)).toThrow('forbid must be true or false');
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

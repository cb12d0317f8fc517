// A peer link against a stand-in of a peer probe's API (a local HTTP server answering the contract's typed
// fakes): names, clock offset, duplicates, a peer lost and back, a refused token, garbage answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Leg, ProbeEvent } from '../engine.js';
import { fakeEventsAnswer, fakeLeg, fakeLegsAnswer, fakeTopologyAnswer, type LegNow } from '../probe-api.js';
import { PeerLink, type PeerHooks } from './peer-link.js';
import type { PeerPart } from './translate.js';

const ALICE: Leg = { name: 'alice', type: 'http', segments: [], intervalMs: 500, timeoutMs: 200, user: 'alice' };
const SKEW_MS = 3_600_000; // the peer's clock an hour ahead

/** What the stand-in answers now; `down` makes it refuse connections' requests with a reset. */
interface PeerState {
  events: ProbeEvent[];
  legs: LegNow[];
  down: boolean;
  garbage: boolean;
  token: string | null;
  requests: string[];
  /** The peer's clock minus this one's. */
  skewMs: number;
}

let server: Server | undefined;
let link: PeerLink | undefined;
let scratch: string | undefined;

afterEach(async () => {
  link?.stop();
  link = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = undefined;
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  }
});

async function peerStandIn(state: PeerState): Promise<string> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.requests.push(`${url.pathname}${url.search}`);
    if (state.down) {
      req.socket.destroy();
      return;
    }
    if (state.token !== null && req.headers.authorization !== `Bearer ${state.token}`) {
      res.writeHead(401).end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    if (state.garbage) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"events": [');
      return;
    }
    const peerNow = Date.now() + state.skewMs;
    // As the real API: a window that starts after the peer's now is a 400.
    if (Number(url.searchParams.get('from') ?? 0) > peerNow) {
      res.writeHead(400).end(JSON.stringify({ error: 'from: is after to' }));
      return;
    }
    const body =
      url.pathname === '/api/v1/topology'
        ? fakeTopologyAnswer({ segments: [{ id: 'lo', name: 'loopback' }], legs: [ALICE] })
        : url.pathname === '/api/v1/events'
          ? fakeEventsAnswer(state.events, false, peerNow)
          : fakeLegsAnswer(state.legs);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function recorder(): {
  hooks: PeerHooks;
  events: ProbeEvent[];
  parts: PeerPart[];
  pulls: Array<{ up: boolean; ok: boolean; offsetMs: number | null }>;
  until: (what: string, pred: () => boolean) => Promise<void>;
} {
  const events: ProbeEvent[] = [];
  const parts: PeerPart[] = [];
  const pulls: Array<{ up: boolean; ok: boolean; offsetMs: number | null }> = [];
  const hooks: PeerHooks = {
    topology: (p) => parts.push(p),
    events: (e) => events.push(...e),
    pulled: (s) => pulls.push(s),
  };
  const until = async (what: string, pred: () => boolean): Promise<void> => {
    const deadline = Date.now() + 5_000;
    while (!pred()) {
      if (Date.now() > deadline) {
        throw new Error(`${what}: not within 5 s; events ${JSON.stringify(events)}, pulls ${JSON.stringify(pulls)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { hooks, events, parts, pulls, until };
}

const TIMING = { pullEveryMs: 30, timeoutMs: 500, staleMs: 300, topologyEveryMs: 60_000 };

function state(over: Partial<PeerState> = {}): PeerState {
  return {
    events: [],
    legs: [fakeLeg({ name: 'alice', type: 'http' })],
    down: false,
    garbage: false,
    token: null,
    requests: [],
    skewMs: SKEW_MS,
    ...over,
  };
}

function startLink(
  url: string,
  r: ReturnType<typeof recorder>,
  opts: { tokenFile?: string; recordedUntil?: number } = {}
): PeerLink {
  link = new PeerLink(
    { name: 'devvm', url, tokenFile: opts.tokenFile ?? null },
    {
      hooks: r.hooks,
      log: () => undefined,
      recordedUntil: opts.recordedUntil ?? null,

      timing: TIMING,
    }
  );
  link.start();
  return link;
}

describe('PeerLink', () => {
  it("joins the peer's legs under its name and moves its events onto this clock", async () => {
    const peerNow = Date.now() + SKEW_MS;
    const s = state({
      events: [
        {
          type: 'disconnect',
          time: peerNow - 2_000,
          leg: 'alice',
          reason: 'heartbeat_timeout',
          lastHeard: peerNow - 2_500,
        },
        { type: 'probe_stall', time: peerNow - 1_000, durationMs: 300 },
        { type: 'disconnect', time: peerNow - 1_000, leg: 'not-the-peers', reason: 'refused' },
      ],
    });
    const r = recorder();
    startLink(await peerStandIn(s), r);
    await r.until('the disconnect', () => r.events.some((e) => e.type === 'disconnect'));
    expect(r.parts[0]?.legs).toEqual([{ ...ALICE, name: 'devvm.alice', probe: 'devvm' }]);
    expect(r.parts[0]?.segments).toEqual([{ id: 'lo', name: 'loopback' }]);
    const [start, disconnect, stall] = r.events;
    expect(start).toMatchObject({ type: 'probe_start', probe: 'devvm', legs: ['devvm.alice'] });
    expect(disconnect).toMatchObject({ type: 'disconnect', leg: 'devvm.alice', reason: 'heartbeat_timeout' });
    // An hour ahead on the peer is now here: within the measured round trip and the time since.
    const d = disconnect as Extract<ProbeEvent, { type: 'disconnect' }>;
    expect(Math.abs(d.time - (Date.now() - 2_000))).toBeLessThan(500);
    expect(d.time - d.lastHeard!).toBe(500);
    expect(stall).toMatchObject({ type: 'probe_stall', probe: 'devvm', durationMs: 300 });
    expect(r.events.some((e) => 'leg' in e && e.leg.includes('not-the-peers'))).toBe(false);
    await r.until('a pull reported', () => r.pulls.some((p) => p.offsetMs !== null));
    const offset = r.pulls.find((p) => p.offsetMs !== null)!.offsetMs!;
    expect(Math.abs(offset - SKEW_MS)).toBeLessThan(500);
  });

  it('records each event once however many pulls return it, and nothing already recorded before a restart', async () => {
    const peerNow = Date.now() + SKEW_MS;
    const s = state({
      events: [
        { type: 'disconnect', time: peerNow - 5_000, leg: 'alice', reason: 'refused' },
        { type: 'reconnect', time: peerNow - 4_000, leg: 'alice' },
        { type: 'disconnect', time: peerNow - 1_000, leg: 'alice', reason: 'reset' },
      ],
    });
    const r = recorder();
    // Already recorded up to 3 s ago (this clock): the first two are not recorded again.
    startLink(await peerStandIn(s), r, { recordedUntil: Date.now() - 3_000 });
    await r.until('several pulls', () => r.pulls.filter((p) => p.ok).length >= 5);
    const legEvents = r.events.filter((e) => 'leg' in e);
    expect(legEvents).toHaveLength(1);
    expect(legEvents[0]).toMatchObject({ type: 'disconnect', reason: 'reset' });
  });

  it('a peer lost: its run stops at the last good pull; back: a new run, with the legs still down recorded down', async () => {
    const s = state();
    const r = recorder();
    startLink(await peerStandIn(s), r);
    await r.until('up', () => r.pulls.some((p) => p.up));
    s.down = true;
    const lostAt = Date.now();
    await r.until('marked down', () => r.events.some((e) => e.type === 'probe_stop'));
    const stop = r.events.find((e) => e.type === 'probe_stop')!;
    expect(stop).toMatchObject({ probe: 'devvm' });
    // A pull already on its way may still have answered, but no later than its timeout.
    expect(stop.time).toBeLessThanOrEqual(lostAt + TIMING.timeoutMs);
    expect(r.pulls.at(-1)).toMatchObject({ up: false, ok: false });
    s.legs = [
      fakeLeg({
        name: 'alice',
        type: 'http',
        connected: false,
        lastReason: 'refused',
        lastHeard: Date.now() + SKEW_MS - 700,
      }),
    ];
    s.down = false;
    await r.until('back, its down leg recorded', () => r.events.some((e) => e.type === 'disconnect'));
    expect(r.events.filter((e) => e.type === 'probe_start')).toHaveLength(2);
    const down = r.events.filter((e) => e.type === 'disconnect');
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ leg: 'devvm.alice', reason: 'refused' });
  });

  it('sends the token from its file; a refused token and a garbage answer are failed pulls, never data', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'peer-link-'));
    const tokenFile = join(scratch, 'token');
    writeFileSync(tokenFile, 'wrong\n');
    const s = state({ token: 'right' });
    const r = recorder();
    startLink(await peerStandIn(s), r, { tokenFile });
    await r.until('refused pulls', () => r.pulls.filter((p) => !p.ok).length >= 3);
    expect(r.parts).toEqual([]);
    expect(r.events).toEqual([]);
    // The file is read again after a refusal: a rotated token is picked up without a restart.
    writeFileSync(tokenFile, 'right\n');
    await r.until('joined', () => r.parts.length === 1 && r.pulls.some((p) => p.up));
    s.garbage = true;
    const before = r.events.length;
    await r.until('a failed pull on garbage', () => r.pulls.at(-1)?.ok === false);
    expect(r.events.slice(before).every((e) => e.type === 'probe_stop')).toBe(true);
  });
});

describe('PeerLink and a peer that has just started', () => {
  it('a leg not checked yet (not connected, no reason) is not recorded down', async () => {
    const s = state({ legs: [fakeLeg({ name: 'alice', type: 'http', connected: false, lastReason: null })] });
    const r = recorder();
    startLink(await peerStandIn(s), r);
    await r.until('up and pulled twice', () => r.pulls.filter((p) => p.ok).length >= 2);
    expect(r.events.map((e) => e.type)).toEqual(['probe_start']);
  });
});

describe('PeerLink and a peer whose clock is behind', () => {
  it("pulls from a peer two hours behind: the first pull takes the peer's own window, later ones its clock", async () => {
    const skewMs = -2 * 3_600_000;
    const peerNow = Date.now() + skewMs;
    const s = state({
      skewMs,
      events: [{ type: 'disconnect', time: peerNow - 1_000, leg: 'alice', reason: 'reset' }],
    });
    const r = recorder();
    startLink(await peerStandIn(s), r);
    await r.until('the disconnect', () => r.events.some((e) => e.type === 'disconnect'));
    const d = r.events.find((e) => e.type === 'disconnect')!;
    expect(Math.abs(d.time - (Date.now() - 1_000))).toBeLessThan(500);
    await r.until('a second pull', () => r.pulls.filter((p) => p.ok).length >= 2);
    const froms = s.requests
      .filter((q) => q.startsWith('/api/v1/events'))
      .map((q) => new URL(q, 'http://x').searchParams.get('from'));
    expect(froms[0]).toBeNull();
    expect(Number(froms[1])).toBeLessThan(peerNow + 5_000);
  });
});

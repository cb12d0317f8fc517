// A lab with users, every instance a real process: dispatch's routing to each user's own instance, and the
// faults on one instance or on the whole box doing what their names say. A fresh lab per test.
import { describe, expect, it } from 'vitest';
import { freeRange } from './free-ports';
import { HOPS, Lab, portSpan, PORT_SPAN, type LabSegment } from './lab';
import { closed, nextMessage, pingRtt } from './test-client';
import { labsUnderTest } from '../tests/support/labs-under-test';
import { waitFor } from './wait';

const USERS = ['alice', 'bob', 'carol'];
const { startLab, open } = labsUnderTest({ users: USERS });

const answers = (url: string, timeoutMs = 700): Promise<boolean> =>
  fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then(
    (r) => r.ok,
    () => false
  );

describe('dispatch routes each user to their own instance', () => {
  it("a user's websocket crosses the whole cloudflare chain to their instance; one without a user, to the shared serve", async () => {
    const l = await startLab();
    await pingRtt(await open(l.clientUrl('cloudflare', { user: 'alice' })), 2_000);
    await pingRtt(await open(l.clientUrl('internal', { user: 'bob' })), 2_000);
    await pingRtt(await open(l.clientUrl('cloudflare')), 2_000);
    const open_ = async (user: string) => (await l.users.get(user)!.state()).counters.connectionsOpen;
    expect(await open_('alice')).toBe(1);
    expect(await open_('bob')).toBe(1);
    expect(await open_('carol')).toBe(0);
    expect((await l.serve.state()).counters.connectionsOpen).toBe(1);
  });

  it("each user's leg URL is answered by that user's instance, through devvm-net; an unknown user gets 404", async () => {
    const l = await startLab();
    expect(Object.keys(l.userLegUrls)).toEqual(USERS);
    for (const user of USERS) {
      expect(l.userLegUrls[user]).toBe(
        `http://127.0.0.1:${l.ports['devvm-net']}/.well-known/t3/environment?user=${user}`
      );
      expect(await answers(l.userLegUrls[user]!, 2_000)).toBe(true);
      expect((await l.users.get(user)!.state()).counters.environmentRequests).toBe(1);
    }
    expect((await l.serve.state()).counters.environmentRequests).toBe(0);
    const res = await fetch(l.userLegUrls.alice!.replace('user=alice', 'user=dave'), {
      signal: AbortSignal.timeout(2_000),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe('dispatch: no serve instance for user "dave"');
  });

  it('every instance on its own port, fixed ones after the single-serve span from basePort', async () => {
    const base = await freeRange(portSpan(USERS));
    const l = await startLab({ basePort: base });
    expect(Object.values(l.ports).sort()).toEqual(Array.from({ length: PORT_SPAN }, (_, i) => base + i));
    expect([...l.users.values()].map((s) => s.port)).toEqual([base + 7, base + 8, base + 9]);
    expect(await answers(l.userLegUrls.carol!, 2_000)).toBe(true);
  });
});

describe("faults on one user's instance, and on the box", () => {
  it("freezing a target silences exactly what runs through it: one user's instance, the box, each hop", async () => {
    const l = await startLab();
    const ws = {
      shared: await open(l.clientUrl('cloudflare')),
      alice: await open(l.clientUrl('cloudflare', { user: 'alice' })),
      bob: await open(l.clientUrl('internal', { user: 'bob' })),
    };
    const http = {
      t3serve: l.legUrls.t3serve,
      'serve-alice': l.userLegUrls.alice!,
      'serve-carol': l.userLegUrls.carol!,
    };
    const everything = ['shared', 'alice', 'bob', 't3serve', 'serve-alice', 'serve-carol'];
    const expected: Record<string, string[]> = {
      serve: ['shared', 't3serve'],
      'serve.alice': ['alice', 'serve-alice'],
      'serve.bob': ['bob'],
      'serve.carol': ['serve-carol'],
      box: everything,
      wan: ['shared', 'alice'],
      'cf-edge': ['shared', 'alice'],
      tunnel: ['shared', 'alice'],
      traefik: ['shared', 'alice', 'bob'],
      dispatch: ['shared', 'alice', 'bob'],
      'devvm-net': everything,
    };
    for (const target of ['serve', 'serve.alice', 'serve.bob', 'serve.carol', 'box', ...HOPS]) {
      const freeze = (): void => (target === 'box' ? l.freezeBox() : l.freeze(target as LabSegment));
      const thaw = (): void => (target === 'box' ? l.thawBox() : l.thaw(target as LabSegment));
      freeze();
      const checks = [
        ...Object.entries(ws).map(async ([name, s]) => [
          name,
          await pingRtt(s, 700).then(
            () => true,
            () => false
          ),
        ]),
        ...Object.entries(http).map(async ([name, url]) => [name, await answers(url)]),
      ];
      const quiet = (await Promise.all(checks)).filter(([, ok]) => !ok).map(([name]) => name as string);
      // Listen for the held Pongs before thawing: they may arrive in any order, all at once.
      const held = quiet.filter((n) => n in ws).map((n) => nextMessage(ws[n as keyof typeof ws], 3_000));
      thaw();
      expect(quiet, `frozen ${target}`).toEqual(expected[target]);
      for (const pong of await Promise.allSettled(held)) {
        expect(pong, `after ${target}`).toEqual({ status: 'fulfilled', value: { _tag: 'Pong' } });
      }
    }
  });

  it("killing one user's instance drops that user alone; a restart brings it back on its port", async () => {
    const l = await startLab();
    const alice = await open(l.clientUrl('cloudflare', { user: 'alice' }));
    const bob = await open(l.clientUrl('cloudflare', { user: 'bob' }));
    const port = l.users.get('alice')!.port;
    await l.kill('serve.alice');
    expect(l.alive('serve.alice')).toBe(false);
    expect(await closed(alice, 3_000)).toBe(1006);
    expect(await answers(l.userLegUrls.alice!)).toBe(false);
    await pingRtt(bob, 2_000);
    await l.restart('serve.alice');
    expect(l.users.get('alice')!.port).toBe(port);
    expect(await answers(l.userLegUrls.alice!, 2_000)).toBe(true);
    await pingRtt(await open(l.clientUrl('cloudflare', { user: 'alice' })), 2_000);
  });

  it('a restarted devvm-net relay still routes, and heal() brings back a killed instance and thaws a frozen one', async () => {
    const l = await startLab();
    await l.restart('devvm-net');
    expect(await answers(l.userLegUrls.bob!, 2_000)).toBe(true);
    expect((await l.users.get('bob')!.state()).counters.environmentRequests).toBe(1);
    await l.kill('serve.bob');
    l.freeze('serve.carol');
    await l.heal();
    expect(l.alive('serve.bob')).toBe(true);
    await waitFor(() => answers(l.userLegUrls.carol!), { timeoutMs: 3_000, what: "carol's instance answers" });
    expect(await answers(l.userLegUrls.bob!, 2_000)).toBe(true);
  });

  it("names the lab's targets for one it does not know, and refuses users with a netns devvm-net", async () => {
    const l = await startLab();
    expect(() => l.freeze('serve.dave')).toThrow(
      'unknown lab segment "serve.dave" (known: serve, wan, cf-edge, tunnel, traefik, dispatch, devvm-net, serve.alice, serve.bob, serve.carol)'
    );
    await expect(Lab.start({ users: ['alice'], netns: 'devvm-net' })).rejects.toThrow(
      "Lab: users need the devvm-net relay's routing"
    );
  });
});

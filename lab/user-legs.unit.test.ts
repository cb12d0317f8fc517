// The probe config's per-user legs for a lab with users, and that the probe's own validation takes them.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateConfig } from '../probe-sidecar/src/config/load';
import { normalizeTopology, usersOf } from '../src/attribution';
import { buildProbeConfig } from './probe-config';
import { portSpan, PORT_SPAN } from './lab';
import { checkUsers, instanceSegment, userLegUrl, userOfSegment } from './user-instances';

const urls = {
  cloudflare: 'ws://127.0.0.1:1001/ws',
  internal: 'ws://127.0.0.1:1004/ws',
  t3serve: 'http://127.0.0.1:1006/.well-known/t3/environment',
};
const userUrls = {
  alice: userLegUrl('http://127.0.0.1:1006', 'alice'),
  bob: userLegUrl('http://127.0.0.1:1006', 'bob'),
  carol: userLegUrl('http://127.0.0.1:1006', 'carol'),
};

describe('per-user legs', () => {
  it("one http leg per monitored user, with `user`, on that user's instance through devvm-net; the rest listed", () => {
    const c = buildProbeConfig(urls, {
      userUrls,
      unmonitoredUsers: ['carol'],
      http: { interval: '1s', timeout: '3s' },
    });
    expect(c.legs.slice(3)).toEqual([
      {
        name: 'serve-alice',
        type: 'http',
        url: 'http://127.0.0.1:1006/.well-known/t3/environment?user=alice',
        interval: '1s',
        timeout: '3s',
        segments: ['devvm-net', 'serve'],
        user: 'alice',
      },
      expect.objectContaining({ name: 'serve-bob', user: 'bob', url: userUrls.bob }),
    ]);
    expect(c.users).toEqual(['carol']);
  });

  it('gives the probe a topology with every user’s instance, carol’s unwatched', () => {
    const text = JSON.stringify(buildProbeConfig(urls, { userUrls, unmonitoredUsers: ['carol'] }));
    const config = validateConfig(parse(text), '/tmp');
    expect(config.legs.map((l) => [l.name, l.user])).toEqual([
      ['cloudflare', undefined],
      ['internal', undefined],
      ['t3serve', undefined],
      ['serve-alice', 'alice'],
      ['serve-bob', 'bob'],
    ]);
    expect(usersOf(normalizeTopology(config.topology))).toEqual(['carol', 'alice', 'bob']);
  });

  it('adds nothing for a lab without users, and names an unmonitored user the lab does not have', () => {
    const plain = buildProbeConfig(urls, { userUrls: {} });
    expect(plain.legs.map((l) => l.name)).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(plain).not.toHaveProperty('users');
    expect(() => buildProbeConfig(urls, { userUrls, unmonitoredUsers: ['dave'] })).toThrow(
      'probeConfig: unmonitoredUsers names "dave", not a lab user (users: alice, bob, carol)'
    );
  });
});

describe('lab users', () => {
  it('checks names as the probe does, each once', () => {
    expect(checkUsers(['alice', 'b.o_b-2'], 'Lab: users')).toEqual(['alice', 'b.o_b-2']);
    expect(() => checkUsers(['al ice'], 'Lab: users')).toThrow('Lab: users: a user name is');
    expect(() => checkUsers(['alice', 'alice'], 'Lab: users')).toThrow('Lab: users: user "alice" is listed twice');
  });

  it("names a user's instance as the probe's segment, and back", () => {
    expect(instanceSegment('alice')).toBe('serve.alice');
    expect(userOfSegment('serve.alice')).toBe('alice');
    expect(userOfSegment('serve')).toBeUndefined();
  });

  it('takes one fixed port per user after the single-serve lab’s span', () => {
    expect(portSpan()).toBe(PORT_SPAN);
    expect(portSpan(['alice', 'bob', 'carol'])).toBe(PORT_SPAN + 3);
  });
});

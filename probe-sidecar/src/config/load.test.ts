import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY, normalizeTopology } from '../engine.js';
import { ConfigError } from './error.js';
import { loadConfig, parseListen, validateConfig } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 't3probe-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, 'secret\n');
writeFileSync(join(dir, 'empty-token'), '  \n');

const wsLeg = {
  name: 'internal',
  type: 'websocket',
  url: 'ws://10.0.20.203/ws',
  segments: ['traefik', 'dispatch', 'serve'],
};
const httpLeg = {
  name: 't3serve',
  type: 'http',
  url: 'http://devvm:3773/.well-known/t3/environment',
  segments: ['devvm-net', 'serve'],
};

function valid(extra: Record<string, unknown> = {}) {
  return { legs: [wsLeg, httpLeg], ...extra };
}

function errorOf(doc: unknown, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    validateConfig(doc, dir, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('config was accepted');
}

describe('validateConfig', () => {
  it('fills the defaults: runbook segments, 10s/20s heartbeat, 10s/5s http, 3s..16s reconnect, 30d', () => {
    const cfg = validateConfig(valid(), dir);
    expect(cfg.topology.segments).toEqual(DEFAULT_TOPOLOGY.segments);
    expect(cfg.legs[0]).toMatchObject({
      type: 'websocket',
      protocol: 't3',
      intervalMs: 10_000,
      timeoutMs: 20_000,
      auth: null,
      headers: {},
    });
    expect(cfg.legs[1]).toMatchObject({ type: 'http', intervalMs: 10_000, timeoutMs: 5_000 });
    expect(cfg.topology.legs.map((l) => [l.name, l.intervalMs, l.timeoutMs])).toEqual([
      ['internal', 10_000, 20_000],
      ['t3serve', 10_000, 5_000],
    ]);
    expect(cfg.reconnect).toEqual({ initialMs: 3_000, maxMs: 16_000, refusedMs: 60_000 });
    expect(cfg.retentionMs).toBe(30 * 86_400_000);
    expect(cfg.listen).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(cfg.dataDir).toBe(join(dir, 'data'));
    expect(cfg.api.tokenFile).toBeNull();
  });

  it('takes every key of the design', () => {
    const cfg = validateConfig(
      {
        listen: '127.0.0.1:9999',
        dataDir: '/var/lib/t3probe',
        heartbeat: { interval: '5s', timeout: '11s' },
        reconnect: { initial: '1s', max: '8s' },
        retention: '7d',
        api: { tokenFile: 'token' },
        segments: [
          { id: 'a', name: 'A' },
          { id: 'b', name: 'B' },
        ],
        legs: [
          {
            name: 'x',
            type: 'websocket',
            url: 'wss://h/ws',
            protocol: 'ping',
            segments: ['a', 'b'],
            heartbeat: { timeout: '30s' },
            headers: { Host: 'h' },
            auth: { tokenFile: 'token' },
          },
          { name: 'y', type: 'http', url: 'https://h/e', interval: '2s', timeout: '1s', segments: ['b'] },
        ],
      },
      dir
    );
    expect(cfg.legs[0]).toMatchObject({
      protocol: 'ping',
      intervalMs: 5_000,
      timeoutMs: 30_000,
      headers: { Host: 'h' },
      auth: { tokenFile },
    });
    expect(cfg.legs[1]).toMatchObject({ intervalMs: 2_000, timeoutMs: 1_000 });
    expect(cfg.api.tokenFile).toBe(tokenFile);
    expect(cfg.retentionMs).toBe(7 * 86_400_000);
    expect(cfg.dataDir).toBe('/var/lib/t3probe');
    expect(cfg.topology.segments.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it("takes the engine thresholds from attribution, defaulting to the dashboard's 2.5 s stall and 500 ms slack", () => {
    expect(validateConfig(valid(), dir).thresholds).toEqual({ rttStallMs: 2_500, slackMs: 500 });
    expect(validateConfig(valid({ attribution: { rttStall: '1s', slack: '250ms' } }), dir).thresholds).toEqual({
      rttStallMs: 1_000,
      slackMs: 250,
    });
    expect(errorOf(valid({ attribution: { rttStall: 'fast' } })).message).toMatch(/^attribution\.rttStall: /);
    expect(errorOf(valid({ attribution: { stall: '1s' } })).message).toMatch(/^attribution\.stall: /);
  });

  it('offers compression and re-checks a token every 5 min by default; both can be set, and are checked', () => {
    const cfg = validateConfig(valid({ legs: [{ ...wsLeg, auth: { tokenFile } }, httpLeg] }), dir);
    expect(cfg.legs[0]).toMatchObject({ compression: true, auth: { tokenFile, recheckMs: 300_000 } });
    const set = validateConfig(
      valid({ legs: [{ ...wsLeg, compression: false, auth: { tokenFile, recheck: '30s' } }, httpLeg] }),
      dir
    );
    expect(set.legs[0]).toMatchObject({ compression: false, auth: { recheckMs: 30_000 } });
    expect(errorOf(valid({ legs: [{ ...wsLeg, compression: 'yes' }] })).key).toBe('legs[0].compression');
    expect(errorOf(valid({ legs: [{ ...wsLeg, auth: { tokenFile, recheck: 'soon' } }] })).key).toBe(
      'legs[0].auth.recheck'
    );
    expect(errorOf(valid({ legs: [{ ...httpLeg, compression: true }] })).message).toMatch(/compression/);
  });

  it('waits a minute after a refusal by default (reconnect.refused), or as configured', () => {
    expect(validateConfig(valid(), dir).reconnect.refusedMs).toBe(60_000);
    expect(validateConfig(valid({ reconnect: { refused: '5m' } }), dir).reconnect.refusedMs).toBe(300_000);
    expect(errorOf(valid({ reconnect: { refused: '-1s' } })).key).toBe('reconnect.refused');
  });

  it("warns, without stopping, about an http or ping leg aimed at a t3 server's /health (its SPA fallback)", () => {
    const health = 'http://devvm:3773/health';
    const cfg = validateConfig(
      valid({
        legs: [
          { ...wsLeg, name: 'pinger', protocol: 'ping', url: 'ws://devvm:3773/health' },
          { ...wsLeg, name: 't3ws' },
          { ...httpLeg, url: health },
        ],
      }),
      dir
    );
    expect(cfg.warnings).toHaveLength(2);
    expect(cfg.warnings[0]).toMatch(/^legs\[0\]\.url: .*\/health.*answers 200 with HTML/);
    expect(cfg.warnings[1]).toMatch(/^legs\[2\]\.url: /);
    expect(validateConfig(valid(), dir).warnings).toEqual([]);
  });

  it('accepts a token from the environment when the variable is set', () => {
    const cfg = validateConfig(valid({ legs: [{ ...wsLeg, auth: { tokenEnv: 'T3_TOKEN' } }] }), dir, { T3_TOKEN: 'x' });
    expect(cfg.legs[0]).toMatchObject({ auth: { tokenEnv: 'T3_TOKEN' } });
  });

  it("takes users: a leg's user checks that user's own instance, top-level users are known without a leg", () => {
    const alice = { name: 'serve-alice', type: 'http', url: 'http://127.0.0.1:3801/e', user: 'alice' };
    const bob = { ...wsLeg, name: 'bob', user: 'bob', segments: ['traefik', 'dispatch'] };
    const cfg = validateConfig(valid({ users: ['carol'], legs: [wsLeg, httpLeg, alice, bob] }), dir);
    expect(cfg.legs[2]).toMatchObject({ name: 'serve-alice', user: 'alice', segments: [] });
    expect(cfg.legs[0]).not.toHaveProperty('user');
    expect(cfg.topology.users).toEqual(['carol']);
    expect(cfg.topology.legs.map((l) => l.user)).toEqual([undefined, undefined, 'alice', 'bob']);
    // The segments stay the config's: the engine adds serve.<user> (normalizeTopology), after serve.
    expect(cfg.topology.segments).toEqual(DEFAULT_TOPOLOGY.segments);
    const engine = normalizeTopology(cfg.topology);
    expect(engine.segments.map((s) => s.id).slice(-5)).toEqual([
      'serve',
      'serve.carol',
      'serve.alice',
      'serve.bob',
      'probe',
    ]);
    expect(engine.legs.find((l) => l.name === 'bob')?.segments).toEqual(['traefik', 'dispatch', 'serve.bob', 'probe']);
    // An empty list is allowed for a user's leg too; the default config has no users.
    expect(validateConfig(valid({ legs: [{ ...alice, segments: [] }], users: [] }), dir).topology).not.toHaveProperty(
      'users'
    );
    expect(validateConfig(valid(), dir).topology).not.toHaveProperty('users');
  });

  const bad: Array<[string, unknown, string, RegExp]> = [
    ['users not a list', valid({ users: 'carol' }), 'users', /expected a list of user names, got "carol"/],
    ['a user not a string', valid({ users: ['carol', 3] }), 'users[1]', /expected a non-empty string, got number 3/],
    ['a duplicate user', valid({ users: ['carol', 'dave', 'carol'] }), 'users[2]', /duplicate user "carol"/],
    ['a bad user name', valid({ users: ['carol smith'] }), 'users[0]', /"carol smith" is not a valid user name/],
    [
      'a user name too long for its segment',
      valid({ users: ['c'.repeat(60)] }),
      'users[0]',
      /its segment "serve\.c+" must have at most 63 characters/,
    ],
    ['a bad leg user', { legs: [{ ...httpLeg, user: 'a/b' }] }, 'legs[0].user', /"a\/b" is not a valid user name/],
    ['a leg user not a string', { legs: [{ ...httpLeg, user: ['a'] }] }, 'legs[0].user', /expected a non-empty string/],
    [
      "a leg on another user's instance",
      valid({ users: ['carol'], legs: [{ ...httpLeg, segments: ['serve', 'serve.carol'] }] }),
      'legs[0].segments[1]',
      /"serve\.carol" is carol's own serve instance: only a leg with user "carol" traverses it/,
    ],
    [
      'a leg without user or segments',
      { legs: [{ ...httpLeg, segments: undefined }] },
      'legs[0].segments',
      /expected a list/,
    ],
    ['unknown top key', valid({ listne: ':1' }), 'listne', /unknown key/],
    ['unknown leg key', { legs: [{ ...wsLeg, intervl: '1s' }] }, 'legs[0].intervl', /unknown key/],
    ['http key on a websocket leg', { legs: [{ ...wsLeg, interval: '1s' }] }, 'legs[0].interval', /unknown key/],
    [
      'bad duration',
      { legs: [{ ...wsLeg, heartbeat: { timeout: '2x' } }] },
      'legs[0].heartbeat.timeout',
      /"2x" is not a duration \(use 250ms, 2s, 1m\)/,
    ],
    ['number as duration', valid({ heartbeat: { interval: 10 } }), 'heartbeat.interval', /number 10 is not a duration/],
    ['zero duration', valid({ retention: '0s' }), 'retention', /longer than zero/],
    // setTimeout fires after 1 ms when asked to wait longer than 2^31 − 1 ms: a 30d interval would flood.
    [
      'duration beyond a timer',
      valid({ heartbeat: { interval: '25d', timeout: '26d' } }),
      'heartbeat.interval',
      /too long \(at most 24d\)/,
    ],
    ['retention beyond a Date', valid({ retention: '40000d' }), 'retention', /too long \(at most 36500d\)/],
    ['a key without a value', valid({ heartbeat: { interval: null } }), 'heartbeat.interval', /has no value/],
    [
      'a huge value',
      valid({ listen: 'x'.repeat(100_000) }),
      'listen',
      /^listen: "x{80}"… \(100000 characters\) is not host:port/,
    ],
    ['a huge leg name', { legs: [{ ...wsLeg, name: 'x'.repeat(100_000) }] }, 'legs[0].name', /… \(\d+ characters\)$/],
    [
      'timeout not above interval',
      valid({ heartbeat: { interval: '10s', timeout: '10s' } }),
      'heartbeat.timeout',
      /longer than the heartbeat interval/,
    ],
    [
      'reconnect max below initial',
      valid({ reconnect: { initial: '5s', max: '1s' } }),
      'reconnect.max',
      /not be shorter/,
    ],
    ['wrong type', valid({ dataDir: 3 }), 'dataDir', /expected a non-empty string, got number 3/],
    ['legs missing', {}, 'legs', /is required/],
    ['legs empty', { legs: [] }, 'legs', /must not be empty/],
    ['legs not a list', { legs: { a: 1 } }, 'legs', /expected a list, got a mapping/],
    ['segments empty', valid({ segments: [] }), 'segments', /must not be empty/],
    ['leg segments empty', { legs: [{ ...wsLeg, segments: [] }] }, 'legs[0].segments', /must not be empty/],
    [
      'unknown segment',
      { legs: [wsLeg, { ...httpLeg, segments: ['devvm-net', 'serv'] }] },
      'legs[1].segments[1]',
      /unknown segment "serv"/,
    ],
    ['duplicate leg names', { legs: [wsLeg, { ...httpLeg, name: 'internal' }] }, 'legs[1].name', /duplicate leg name/],
    [
      'duplicate segment ids',
      valid({
        segments: [
          { id: 'a', name: 'A' },
          { id: 'a', name: 'B' },
        ],
      }),
      'segments[1].id',
      /duplicate segment id/,
    ],
    ['bad leg name', { legs: [{ ...wsLeg, name: 'a b' }] }, 'legs[0].name', /not a valid leg name/],
    ['unknown type', { legs: [{ ...wsLeg, type: 'udp' }] }, 'legs[0].type', /"udp" is not one of websocket, http, tcp/],
    ['unknown protocol', { legs: [{ ...wsLeg, protocol: 'sse' }] }, 'legs[0].protocol', /not one of t3, ping/],
    [
      'http url on websocket leg',
      { legs: [{ ...wsLeg, url: 'http://h/ws' }] },
      'legs[0].url',
      /scheme http: is not allowed/,
    ],
    [
      'not a url',
      { legs: [{ ...httpLeg, url: 'devvm:3773' }] },
      'legs[0].url',
      /scheme devvm: is not allowed|is not a URL/,
    ],
    [
      'header not a string',
      { legs: [{ ...wsLeg, headers: { Host: 1 } }] },
      'legs[0].headers.Host',
      /expected a string/,
    ],
    [
      'both token sources',
      { legs: [{ ...wsLeg, auth: { tokenFile: 'token', tokenEnv: 'X' } }] },
      'legs[0].auth',
      /exactly one/,
    ],
    [
      'unset token env',
      { legs: [{ ...wsLeg, auth: { tokenEnv: 'NOPE' } }] },
      'legs[0].auth.tokenEnv',
      /NOPE is not set/,
    ],
    [
      'missing token file',
      { legs: [{ ...wsLeg, auth: { tokenFile: 'nope' } }] },
      'legs[0].auth.tokenFile',
      /cannot read .*nope \(ENOENT\)/,
    ],
    ['empty token file', valid({ api: { tokenFile: 'empty-token' } }), 'api.tokenFile', /is empty/],
    ['bad listen', valid({ listen: 'localhost' }), 'listen', /is not host:port/],
    ['port out of range', valid({ listen: '1.2.3.4:70000' }), 'listen', /is not host:port/],
    ['top level is a list', [1], '', /expected a mapping, got a list/],
    ['empty document', null, '', /config file is empty/],
  ];
  it.each(bad)('rejects %s, naming the key', (_what, doc, key, message) => {
    const err = errorOf(doc);
    expect(err.key).toBe(key);
    expect(err.message).toMatch(message);
    if (key) {
      expect(err.message.startsWith(`${key}: `)).toBe(true);
    }
    expect(err.message).not.toContain('\n');
  });
});

describe('loadConfig', () => {
  it('reads YAML and resolves relative paths against the file', () => {
    const file = join(dir, 'probe.yaml');
    writeFileSync(file, 'dataDir: ./d\nlegs:\n  - { name: a, type: http, url: "http://h/e", segments: [serve] }\n');
    expect(loadConfig(file).dataDir).toBe(join(dir, 'd'));
  });

  it('names a missing file', () => {
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(/cannot read config file .*missing\.yaml \(ENOENT\)/);
  });

  it('names the line of a YAML syntax error in one line', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'legs:\n  - name: a\n   type: [http\n');
    const err = (() => {
      try {
        loadConfig(file);
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/cannot parse .*broken\.yaml as YAML at line \d+, column \d+/);
    expect(err.message).not.toContain('\n');
  });

  it('rejects duplicate keys in YAML', () => {
    const file = join(dir, 'dup.yaml');
    writeFileSync(file, 'retention: 1d\nretention: 2d\nlegs: []\n');
    expect(() => loadConfig(file)).toThrow(/cannot parse .* as YAML/);
  });
});

describe('parseListen', () => {
  it.each([
    ['0.0.0.0:9464', { host: '0.0.0.0', port: 9464 }],
    ['[::1]:80', { host: '::1', port: 80 }],
    [':9464', { host: '0.0.0.0', port: 9464 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
  ])('%s', (text, want) => expect(parseListen(text, 'listen')).toEqual(want));
});

import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../config/defaults.js';
import { ConfigError } from '../config/error.js';
import { validateConfig } from '../config/load.js';

const tcpLeg = { name: 'devvm-net', type: 'tcp', url: 'tcp://devvm:9100', segments: ['devvm-net'] };

function errorOf(leg: Record<string, unknown>): ConfigError {
  try {
    validateConfig({ legs: [leg] }, '/');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('config was accepted');
}

describe('a tcp leg in the config', () => {
  it('reads host and port from its url, with the defaults for what is left out', () => {
    const [leg] = validateConfig({ legs: [tcpLeg] }, '/').legs;
    expect(leg).toEqual({ ...tcpLeg, host: 'devvm', port: 9100, headers: {}, ...DEFAULTS.tcp });
    const [v6] = validateConfig(
      { legs: [{ ...tcpLeg, url: 'tcp://[::1]:80', interval: '2s', timeout: '1s' }] },
      '/'
    ).legs;
    expect(v6).toMatchObject({ host: '::1', port: 80, intervalMs: 2_000, timeoutMs: 1_000 });
  });

  it.each([
    ['no url', { ...tcpLeg, url: undefined }, 'legs[0].url', /expected a non-empty string/],
    ['host and port as keys', { ...tcpLeg, url: undefined, host: 'devvm' }, 'legs[0].host', /unknown key/],
    ['no port', { ...tcpLeg, url: 'tcp://devvm' }, 'legs[0].url', /has no port \(use tcp:\/\/host:port\)/],
    ['no host', { ...tcpLeg, url: 'tcp://:9100' }, 'legs[0].url', /has no host/],
    ['port 0', { ...tcpLeg, url: 'tcp://devvm:0' }, 'legs[0].url', /port 0 is not a port to connect to/],
    ['port out of range', { ...tcpLeg, url: 'tcp://devvm:65536' }, 'legs[0].url', /port 65536 is above 65535/],
    ['a path', { ...tcpLeg, url: 'tcp://devvm:9100/metrics' }, 'legs[0].url', /must be tcp:\/\/host:port alone/],
    ['another scheme', { ...tcpLeg, url: 'http://devvm:9100' }, 'legs[0].url', /scheme http: is not allowed/],
    ['negative timeout', { ...tcpLeg, timeout: '-1s' }, 'legs[0].timeout', /is not a duration/],
    ['zero timeout', { ...tcpLeg, timeout: '0s' }, 'legs[0].timeout', /must be longer than zero/],
    ['bad interval', { ...tcpLeg, interval: 'often' }, 'legs[0].interval', /is not a duration/],
    ['headers (a connect sends none)', { ...tcpLeg, headers: { Host: 'x' } }, 'legs[0].headers', /unknown key/],
  ])('%s: an error naming the key', (_what, leg, key, message) => {
    const err = errorOf(leg);
    expect(err.key).toBe(key);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${key}: `)).toBe(true);
  });
});

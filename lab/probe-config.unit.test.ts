import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateConfig } from '../probe-sidecar/src/config/load';
import { buildProbeConfig, FINER_LEGS, LEG_SEGMENTS } from './probe-config';

const urls = {
  cloudflare: 'ws://127.0.0.1:1001/ws',
  internal: 'ws://127.0.0.1:1004/ws',
  t3serve: 'http://127.0.0.1:1006/.well-known/t3/environment',
};

describe('buildProbeConfig', () => {
  it('gives the runbook legs, their segments and short test timings', () => {
    const c = buildProbeConfig(urls);
    expect(c).toMatchObject({
      listen: '127.0.0.1:0',
      heartbeat: { interval: '500ms', timeout: '2s' },
      reconnect: { initial: '200ms', max: '1s' },
    });
    expect(c.legs).toEqual([
      {
        name: 'cloudflare',
        type: 'websocket',
        url: urls.cloudflare,
        protocol: 't3',
        segments: LEG_SEGMENTS.cloudflare,
      },
      { name: 'internal', type: 'websocket', url: urls.internal, protocol: 't3', segments: LEG_SEGMENTS.internal },
      {
        name: 't3serve',
        type: 'http',
        url: urls.t3serve,
        interval: '500ms',
        timeout: '2s',
        segments: ['devvm-net', 'serve'],
      },
    ]);
    expect(c.dataDir).toBeUndefined();
  });

  it('applies overrides: timings, per-leg keys, dropped legs, token file, extra keys', () => {
    const c = buildProbeConfig(urls, {
      listen: '127.0.0.1:9999',
      dataDir: '/tmp/d',
      heartbeat: { interval: '1s', timeout: '3s' },
      http: { interval: '250ms', timeout: '1s' },
      tokenFile: '/tmp/token',
      legs: { internal: { protocol: 'ping' }, cloudflare: null },
      extra: { retention: '1d' },
    });
    expect(c).toMatchObject({
      listen: '127.0.0.1:9999',
      dataDir: '/tmp/d',
      heartbeat: { interval: '1s', timeout: '3s' },
      retention: '1d',
    });
    expect(c.legs.map((l) => l.name)).toEqual(['internal', 't3serve']);
    expect(c.legs[0]).toMatchObject({ protocol: 'ping', auth: { tokenFile: '/tmp/token' } });
    expect(c.legs[1]).toMatchObject({ interval: '250ms', timeout: '1s' });
    expect(c.legs[1]).not.toHaveProperty('auth'); // http legs take no ticket auth
  });

  it('names an unknown leg in overrides', () => {
    expect(() => buildProbeConfig(urls, { legs: { cloudfare: {} } as never })).toThrow(
      'probeConfig: unknown leg "cloudfare"'
    );
  });

  it('adds the finer legs with `finer`: the edge trace over http, Traefik and devvm connects over tcp', () => {
    const finerUrls = {
      ...urls,
      edge: 'http://127.0.0.1:1001/cdn-cgi/trace',
      traefik: 'tcp://127.0.0.1:1004',
      'devvm-net': 'tcp://127.0.0.1:1006',
    };
    expect(buildProbeConfig(finerUrls).legs.map((l) => l.name)).toEqual(['cloudflare', 'internal', 't3serve']);
    const c = buildProbeConfig(finerUrls, { finer: true, http: { interval: '250ms', timeout: '1s' } });
    expect(c.legs.slice(3)).toEqual([
      {
        name: 'edge',
        type: 'http',
        url: finerUrls.edge,
        interval: '250ms',
        timeout: '1s',
        segments: ['wan', 'cf-edge'],
      },
      { name: 'traefik', type: 'tcp', url: finerUrls.traefik, interval: '250ms', timeout: '1s', segments: ['traefik'] },
      {
        name: 'devvm-net',
        type: 'tcp',
        url: finerUrls['devvm-net'],
        interval: '250ms',
        timeout: '1s',
        segments: ['devvm-net'],
      },
    ]);
    const config = validateConfig(parse(JSON.stringify(c)), '/tmp');
    expect(Object.fromEntries(config.legs.slice(3).map((l) => [l.name, l.segments]))).toEqual(
      Object.fromEntries(Object.entries(FINER_LEGS).map(([name, leg]) => [name, leg.segments]))
    );
    expect(() => buildProbeConfig(urls, { finer: true })).toThrow('probeConfig: finer needs the URL of the edge leg');
  });

  it('is accepted by the probe’s own config validation once written as YAML', () => {
    const text = JSON.stringify(buildProbeConfig(urls, { dataDir: '/tmp/lab-probe' }));
    const config = validateConfig(parse(text), '/tmp');
    expect(config.legs.map((l) => [l.name, l.intervalMs, l.timeoutMs])).toEqual([
      ['cloudflare', 500, 2_000],
      ['internal', 500, 2_000],
      ['t3serve', 500, 2_000],
    ]);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 0 });
  });
});

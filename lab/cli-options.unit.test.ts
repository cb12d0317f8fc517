import { describe, expect, it } from 'vitest';
import { checkBasePort, checkHost, dialHost, urlHost } from './addresses';
import { DEFAULT_GAP_MS, parseCliOptions } from './cli-options';
import { fixedPorts, PORT_SPAN } from './lab';
import { SCENARIOS } from './scenarios';

describe('parseCliOptions', () => {
  it('reads the compose demo command', () => {
    const opts = parseCliOptions(['--host', '0.0.0.0', '--base-port', '18080', '--play', 'demo']);
    expect(opts.host).toBe('0.0.0.0');
    expect(opts.basePort).toBe(18080);
    expect(opts.play).toEqual({ scenarios: SCENARIOS, loop: true, gapMs: DEFAULT_GAP_MS });
  });

  it('defaults to loopback, ephemeral ports and no play', () => {
    expect(parseCliOptions([])).toEqual({ host: '127.0.0.1', token: undefined });
  });

  it('plays one named scenario once, with the given gap', () => {
    const opts = parseCliOptions(['--play', 'edge-blackhole', '--gap-ms', '1500']);
    expect(opts.play?.loop).toBe(false);
    expect(opts.play?.gapMs).toBe(1500);
    expect(opts.play?.scenarios.map((s) => s.name)).toEqual(['edge-blackhole']);
  });

  it('starts the stand-in as a current server by default, as a given version or as an older one', () => {
    expect(parseCliOptions([]).protocolVersion).toBeUndefined();
    expect(parseCliOptions(['--protocol-version', '3']).protocolVersion).toBe(3);
    expect(parseCliOptions(['--protocol-version', 'none']).protocolVersion).toBeNull();
  });

  it('keeps the existing flags', () => {
    const opts = parseCliOptions(['--auth', 'ticket', '--token', 'T', '--netns', 'tunnel', '--probe-config', 'p.yaml']);
    expect(opts).toMatchObject({ auth: 'ticket', token: 'T', netns: 'tunnel' });
    expect(opts.probeConfig).toEqual({ file: 'p.yaml', heartbeat: { interval: '500ms', timeout: '2s' } });
  });

  it.each([
    [['--host', 'lab.example'], '--host must be an IP address'],
    [['--host', '999.0.0.1'], '--host must be an IP address'],
    [['--base-port', 'x'], '--base-port must be a non-negative integer, got "x"'],
    [['--base-port', '0'], '--base-port must be an integer from 1 to 65529'],
    [['--base-port', '65530'], '--base-port must be an integer from 1 to 65529 (it and the next 6 ports), got 65530'],
    [['--base-port'], '--base-port needs a value'],
    [['--play', 'tunnel'], '--play must be demo or a scenario name (demo, tunnel-restart,'],
    [['--gap-ms', '5'], '--gap-ms only applies to --play'],
    [['--play', 'demo', '--gap-ms', '-1'], '--gap-ms must be a non-negative integer'],
    [['--auth', 'basic'], '--auth must be none or ticket, got "basic"'],
    [['--protocol-version', '0'], '--protocol-version must be a positive integer or none, got "0"'],
    [['--protocol-version', 'older'], '--protocol-version must be a positive integer or none, got "older"'],
    [['--protocol-version'], '--protocol-version needs a value'],
    [['--netns', 'serve'], '--netns must name a hop'],
    [['--heartbeat-interval', '1s'], '--heartbeat-interval and --heartbeat-timeout only apply to --probe-config'],
    [['--base_port', '1'], 'unknown argument "--base_port"'],
  ])('rejects %j naming the flag', (argv, message) => {
    expect(() => parseCliOptions(argv)).toThrow(message);
  });
});

describe('fixed ports', () => {
  it('puts the hops in path order from the base port and serve after them', () => {
    expect(PORT_SPAN).toBe(7);
    expect(fixedPorts(18080)).toEqual({
      wan: 18080,
      'cf-edge': 18081,
      tunnel: 18082,
      traefik: 18083,
      dispatch: 18084,
      'devvm-net': 18085,
      serve: 18086,
    });
  });

  it('accepts the last base port whose span still fits', () => {
    expect(checkBasePort(65529, 7, 'x')).toBe(65529);
    expect(() => checkBasePort(1.5, 7, 'basePort')).toThrow('basePort must be an integer');
  });
});

describe('addresses', () => {
  it('accepts IPv4 and IPv6 literals only', () => {
    expect(checkHost('::', 'h')).toBe('::');
    expect(() => checkHost('localhost', 'Lab: host')).toThrow('Lab: host must be an IP address');
  });

  it('dials a wildcard listener on loopback of the same family, anything else as is', () => {
    expect(dialHost('0.0.0.0')).toBe('127.0.0.1');
    expect(dialHost('::')).toBe('::1');
    expect(dialHost('127.0.0.2')).toBe('127.0.0.2');
  });

  it('brackets IPv6 in URLs', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});

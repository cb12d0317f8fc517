import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';
import { formatEndpoint, parseEndpoint } from './hop';

describe('parseArgs', () => {
  const spec = { port: 'int', name: 'string' } as const;

  it('reads known flags', () => {
    expect(parseArgs(['--port', '80', '--name', 'wan'], spec)).toEqual({ port: 80, name: 'wan' });
  });

  it('names an unknown flag and lists the known ones', () => {
    expect(() => parseArgs(['--prot', '80'], spec)).toThrow('unknown argument "--prot" (known: --port, --name)');
  });

  it('rejects a flag without a value and a bad integer', () => {
    expect(() => parseArgs(['--port'], spec)).toThrow('--port needs a value');
    expect(() => parseArgs(['--port', '-1'], spec)).toThrow('--port must be a non-negative integer, got "-1"');
  });
});

describe('parseEndpoint', () => {
  it('reads host:port and unix:/path and prints them back', () => {
    expect(parseEndpoint('127.0.0.1:80', 'x')).toEqual({ host: '127.0.0.1', port: 80 });
    expect(parseEndpoint('unix:/tmp/a.sock', 'x')).toEqual({ path: '/tmp/a.sock' });
    expect(formatEndpoint({ host: '10.1.0.2', port: 5 })).toBe('10.1.0.2:5');
    expect(formatEndpoint({ path: '/tmp/a.sock' })).toBe('unix:/tmp/a.sock');
  });

  it.each(['127.0.0.1', '127.0.0.1:70000', ':80x', 'unix:relative.sock'])('rejects %s naming the flag', (s) => {
    expect(() => parseEndpoint(s, '--target')).toThrow('--target');
  });
});

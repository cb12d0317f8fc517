import { describe, expect, it } from 'vitest';
import { parseCommand } from './lab-commands';

describe('lab CLI commands', () => {
  it.each([
    ['freeze tunnel', { op: 'freeze', segment: 'tunnel' }],
    ['  thaw   serve ', { op: 'thaw', segment: 'serve' }],
    ['kill devvm-net', { op: 'kill', segment: 'devvm-net' }],
    ['restart wan', { op: 'restart', segment: 'wan' }],
    ['block traefik reject', { op: 'block', segment: 'traefik', mode: 'reject' }],
    ['unblock traefik', { op: 'unblock', segment: 'traefik' }],
    ['pong-delay 3000', { op: 'pong-delay', ms: 3000 }],
    ['close-all 4001', { op: 'close-all', code: 4001 }],
    ['silence', { op: 'silence' }],
    ['stop', { op: 'stop' }],
  ])('parses %j', (line, command) => {
    expect(parseCommand(line)).toEqual(command);
  });

  it.each([
    ['freez tunnel', 'unknown command "freez"'],
    ['freeze', 'freeze takes 1 argument, got 0'],
    ['freeze cloudflare', 'unknown segment "cloudflare" (known: serve, wan,'],
    ['block serve drop', 'unknown hop "serve"'],
    ['block tunnel blackhole', 'block: mode must be drop or reject, got "blackhole"'],
    ['pong-delay -5', 'pong-delay: ms must be a non-negative integer, got "-5"'],
    ['silence now', 'silence takes 0 arguments, got 1'],
  ])('rejects %j naming the problem', (line, error) => {
    expect(() => parseCommand(line)).toThrow(error);
  });
});

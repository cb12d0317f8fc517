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
    ['token new-secret', { op: 'token', token: 'new-secret' }],
    ['revoke-token', { op: 'revoke-token' }],
    ['forbid on', { op: 'forbid', on: true }],
    ['forbid off', { op: 'forbid', on: false }],
    ['protocol-version 3', { op: 'protocol-version', version: 3 }],
    ['protocol-version none', { op: 'protocol-version', version: null }],
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
    ['token', 'token takes 1 argument, got 0'],
    ['token a b', 'token takes 1 argument, got 2'],
    ['token tökén', 'token: token must be a non-empty string of visible ASCII characters, got "tökén"'],
    ['revoke-token x', 'revoke-token takes 0 arguments, got 1'],
    ['forbid yes', 'forbid: must be on or off, got "yes"'],
    ['protocol-version 0', 'protocol-version must be a positive integer or none, got "0"'],
    ['protocol-version two', 'protocol-version must be a positive integer or none, got "two"'],
  ])('rejects %j naming the problem', (line, error) => {
    expect(() => parseCommand(line)).toThrow(error);
  });
});

// The lab CLI as the demo runs it: a process that prints its legs and takes fault commands on stdin.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './child';
import { CURRENT_PROTOCOL_VERSION } from './t3-standin';
import { nextMessage, openWs, pingRtt, processRunning, t3Url } from './test-client';
import { withTimeout } from './wait';

let cli: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  cli?.kill('SIGKILL');
  cli = undefined;
});

function startCli(): { lines: AsyncIterator<string>; send: (cmd: string) => Promise<Record<string, unknown>> } {
  cli = spawn(process.execPath, ['--import', 'tsx', 'lab/cli.ts'], { cwd: REPO_ROOT });
  const lines = createInterface({ input: cli.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await withTimeout(lines.next(), 20_000, 'cli output')).value as string);
  return {
    lines,
    send: async (cmd) => {
      cli!.stdin.write(`${cmd}\n`);
      return next();
    },
  };
}

describe('lab CLI', () => {
  it('prints its legs, applies fault commands, reports bad ones, and stops its processes', async () => {
    const { lines, send } = startCli();
    const ready = JSON.parse((await withTimeout(lines.next(), 20_000, 'ready line')).value as string);
    expect(ready.event).toBe('ready');
    expect(ready.protocolVersion).toBe(CURRENT_PROTOCOL_VERSION);
    const ws = await openWs(t3Url(ready.legUrls.cloudflare), 3_000);
    try {
      await pingRtt(ws, 2_000);
      expect(await send('freeze wan')).toEqual({ ok: true });
      await expect(pingRtt(ws, 800)).rejects.toThrow('no result');
      const pong = nextMessage(ws, 3_000);
      expect(await send('thaw wan')).toEqual({ ok: true });
      expect(await pong).toEqual({ _tag: 'Pong' });
      expect(await send('freeze nowhere')).toMatchObject({
        ok: false,
        error: expect.stringContaining('unknown segment "nowhere"'),
      });
      // The stand-in's server generation, access policy and token, switched from stdin.
      expect(await send('forbid on')).toEqual({ ok: true });
      await expect(openWs(t3Url(ready.legUrls.cloudflare), 2_000)).rejects.toThrow('HTTP 403');
      expect(await send('forbid off')).toEqual({ ok: true });
      expect(await send('protocol-version none')).toEqual({ ok: true, protocolVersion: null });
      (await openWs(ready.legUrls.cloudflare, 2_000)).terminate();
      expect(await send('protocol-version 0')).toMatchObject({
        ok: false,
        error: expect.stringContaining('protocol-version must be a positive integer or none'),
      });
      const revoked = (await send('revoke-token')) as { ok: boolean; token: string };
      expect(revoked).toEqual({ ok: true, token: expect.stringMatching(/^lab-/) });
      expect(await send(`token ${revoked.token}`)).toEqual({ ok: true, changed: false, ticketsRevoked: 0 });
      const state = (await send('state')) as { pids: number[] };
      expect(state.pids).toHaveLength(7);
      const exited = new Promise<number | null>((resolve) => cli!.once('exit', resolve));
      expect(await send('stop')).toEqual({ ok: true });
      expect(await withTimeout(exited, 10_000, 'cli exit')).toBe(0);
      expect(state.pids.filter(processRunning)).toEqual([]);
    } finally {
      ws.terminate();
    }
  });
});

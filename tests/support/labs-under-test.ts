/**
 * For a test file whose tests each get a fresh lab of their own: `startLab` starts one (with `defaults`
 * under the test's own options), `open` a WebSocket through it; after each test every socket is terminated,
 * then the lab stopped.
 */
import { afterEach } from 'vitest';
import type WebSocket from 'ws';
import { Lab, type LabOptions } from '../../lab/lab';
import { openWs } from '../../lab/test-client';

export function labsUnderTest(defaults: LabOptions = {}): {
  startLab: (opts?: LabOptions) => Promise<Lab>;
  open: (url: string, timeoutMs?: number) => Promise<WebSocket>;
} {
  let lab: Lab | undefined;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) {
      ws.terminate();
    }
    await lab?.stop();
    lab = undefined;
  });
  return {
    startLab: async (opts = {}) => (lab = await Lab.start({ ...defaults, ...opts })),
    open: async (url, timeoutMs = 3_000) => {
      const ws = await openWs(url, timeoutMs);
      sockets.push(ws);
      return ws;
    },
  };
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDuration } from '../engine.js';
import { DEFAULTS } from './defaults.js';
import { validateConfig } from './load.js';

interface Timing {
  interval: string;
  timeout: string;
}

/** What the README's config example holds (the keys this test reads). */
interface Example {
  listen: string;
  dataDir: string;
  heartbeat: Timing;
  reconnect: { initial: string; max: string; refused: string };
  retention: string;
  attribution: { rttStall: string; slack: string };
  legs: [
    { type: string; protocol: string; compression: boolean; heartbeat: Timing; auth: { recheck: string } },
    Timing & { type: string },
    Timing & { type: string },
  ];
}

/** The README's config example, parsed (YAML). */
function readmeExample(): Example {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /## Config\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme);
  if (!block?.[1]) {
    throw new Error('no yaml block under "## Config" in probe-sidecar/README.md');
  }
  return parse(block[1]) as Example;
}

const ms = (value: unknown) => parseDuration(String(value));

describe('DEFAULTS', () => {
  it("are what the README's config example shows", () => {
    const doc = readmeExample();
    const [ws, http, tcp] = doc.legs;
    expect(ws.type).toBe('websocket');
    expect(http.type).toBe('http');
    expect(tcp.type).toBe('tcp');
    expect({
      listen: doc.listen,
      dataDir: doc.dataDir,
      heartbeat: { intervalMs: ms(doc.heartbeat.interval), timeoutMs: ms(doc.heartbeat.timeout) },
      websocket: { protocol: ws.protocol, compression: ws.compression, authRecheckMs: ms(ws.auth.recheck) },
      http: { intervalMs: ms(http.interval), timeoutMs: ms(http.timeout) },
      tcp: { intervalMs: ms(tcp.interval), timeoutMs: ms(tcp.timeout) },
      reconnect: {
        initialMs: ms(doc.reconnect.initial),
        maxMs: ms(doc.reconnect.max),
        refusedMs: ms(doc.reconnect.refused),
      },
      retentionMs: ms(doc.retention),
      attribution: { rttStallMs: ms(doc.attribution.rttStall), slackMs: ms(doc.attribution.slack) },
    }).toEqual(DEFAULTS);
    // The per-leg heartbeat override shown is the top-level default too.
    expect({ intervalMs: ms(ws.heartbeat.interval), timeoutMs: ms(ws.heartbeat.timeout) }).toEqual(DEFAULTS.heartbeat);
  });

  it('are what the readers fill in for keys left out', () => {
    const dir = new URL('.', import.meta.url).pathname;
    const cfg = validateConfig(
      {
        legs: [
          { name: 'w', type: 'websocket', url: 'ws://h/ws', segments: ['serve'], auth: { tokenEnv: 'T' } },
          { name: 'h', type: 'http', url: 'http://h/e', segments: ['serve'] },
          { name: 't', type: 'tcp', url: 'tcp://h:9100', segments: ['serve'] },
        ],
      },
      dir,
      { T: 'token' }
    );
    expect(cfg.listen).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(cfg.reconnect).toEqual(DEFAULTS.reconnect);
    expect(cfg.retentionMs).toBe(DEFAULTS.retentionMs);
    expect(cfg.thresholds).toEqual(DEFAULTS.attribution);
    expect(cfg.legs[0]).toMatchObject({
      ...DEFAULTS.heartbeat,
      protocol: DEFAULTS.websocket.protocol,
      compression: DEFAULTS.websocket.compression,
      auth: { recheckMs: DEFAULTS.websocket.authRecheckMs },
    });
    expect(cfg.legs[1]).toMatchObject(DEFAULTS.http);
    expect(cfg.legs[2]).toMatchObject(DEFAULTS.tcp);
  });
});

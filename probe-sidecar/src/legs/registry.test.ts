import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.js';
import { HttpLeg } from './http.js';
import { COMMON_LEG_KEYS } from './leg-keys.js';
import { ANY_LEG_KEYS, constructLeg, LEG_TYPE_NAMES, LEG_TYPES, legKind } from './registry.js';
import { TcpLeg } from './tcp.js';
import { recorder, steadyClock } from './testing.js';
import { WebsocketLeg } from './websocket.js';

const reconnect = { initialMs: 1_000, maxMs: 2_000, refusedMs: 3_000 };

describe('the leg-type registry', () => {
  it('lists the types in its order, each with the keys config/load.ts reads for every leg', () => {
    expect(LEG_TYPE_NAMES).toEqual(['websocket', 'http', 'tcp']);
    for (const kind of Object.values(LEG_TYPES)) {
      expect(kind.keys.slice(0, COMMON_LEG_KEYS.length)).toEqual(['name', 'type', 'url', 'segments', 'user']);
      expect(new Set(kind.keys).size).toBe(kind.keys.length);
      expect(kind.schemes.length).toBeGreaterThan(0);
    }
    // A leg's first look, before its type is known, allows any type's keys once each (named so in the error).
    expect(new Set(ANY_LEG_KEYS)).toEqual(new Set(Object.values(LEG_TYPES).flatMap((kind) => kind.keys)));
    expect(new Set(ANY_LEG_KEYS).size).toBe(ANY_LEG_KEYS.length);
    expect(ANY_LEG_KEYS).toEqual(expect.arrayContaining(['protocol', 'heartbeat', 'headers', 'auth', 'interval']));
  });

  it('reads each type into its own config and builds its own leg from it', () => {
    const cfg = validateConfig(
      {
        legs: [
          { name: 'w', type: 'websocket', url: 'ws://127.0.0.1:9/ws', segments: ['serve'] },
          { name: 'h', type: 'http', url: 'http://127.0.0.1:9/e', segments: ['serve'] },
          { name: 't', type: 'tcp', url: 'tcp://127.0.0.1:9', segments: ['serve'] },
        ],
      },
      '/'
    );
    expect(cfg.legs.map((l) => l.type)).toEqual(['websocket', 'http', 'tcp']);
    const legs = cfg.legs.map((l) => constructLeg(l, { reconnect, clock: steadyClock, hooks: recorder().hooks }));
    expect(legs[0]).toBeInstanceOf(WebsocketLeg);
    expect(legs[1]).toBeInstanceOf(HttpLeg);
    expect(legs[2]).toBeInstanceOf(TcpLeg);
    expect(legs.map((l) => [l.state().name, l.state().type, l.isConnected()])).toEqual([
      ['w', 'websocket', false],
      ['h', 'http', false],
      ['t', 'tcp', false],
    ]);
    expect(cfg.legs.map((l) => legKind(l.type).warnings(l, 'legs[0]'))).toEqual([[], [], []]);
  });
});

import { describe, expect, it } from 'vitest';
import { readEvents, readIncidents, readLegs, readTopology, readVerdict } from './read';

describe('probe answer checks', () => {
  it('accepts well-formed answers', () => {
    expect(readLegs({ version: '1', legs: [{ name: 'a', connected: true }] }).legs).toHaveLength(1);
    expect(readEvents({ events: [{ time: 1, type: 'disconnect' }] }).events).toHaveLength(1);
    expect(
      readIncidents({ incidents: [{ id: 'x', start: 1, end: null, legs: [], suspects: [] }] }).incidents
    ).toHaveLength(1);
    expect(readTopology({ segments: [{ id: 'a' }], legs: [] }).segments).toHaveLength(1);
  });

  it("passes a leg's user on, leaves it absent for a shared leg, and refuses one that is not a name", () => {
    const legs = readLegs({
      legs: [
        { name: 'serve-alice', connected: true, user: 'alice' },
        { name: 'internal', connected: true },
      ],
    }).legs;
    expect(legs.map((l) => l.user)).toEqual(['alice', undefined]);
    expect('user' in legs[1]!).toBe(false);
    expect(() => readLegs({ legs: [{ name: 'a', connected: true, user: 7 }] })).toThrow(
      'has a malformed "user" at legs[0]'
    );
  });

  it('defaults a missing version to "unknown"', () => {
    expect(readLegs({ legs: [] }).version).toBe('unknown');
  });

  it("names what is wrong with another service's answer", () => {
    expect(() => readLegs('<html>')).toThrow(
      "the probe's answer to /api/v1/legs is not a JSON object: is the datasource URL a t3 probe?"
    );
    expect(() => readLegs({ legs: [{ name: 'a' }] })).toThrow('has no connected flag at legs[0]');
    expect(() => readEvents({ events: [null] })).toThrow('has a non-object at events[0]');
    expect(() => readIncidents({ incidents: [{ id: 'x', start: 1 }] })).toThrow('has no id/start/end at incidents[0]');
    expect(() => readVerdict({ verdict: 'maybe' })).toThrow('/api/v1/attribution has no verdict');
    expect(() => readVerdict({ verdict: 'unknown', segments: [] })).toThrow('has no "legs" list');
    expect(() => readTopology({ segments: [] })).toThrow('has no "legs" list');
  });
});

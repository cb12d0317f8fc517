import { describe, expect, it } from 'vitest';
import { at, LEGS_ANSWER, probeEvents, probeIncidents, probeVerdict } from '../test/probeFixtures';
import { annotationsFromFrames } from './annotations';
import { healthMessage } from './health';
import { attributionFrames, eventsFrame, incidentsFrame, legsFrame } from './toFrames';

const col = (frame: { fields: Array<{ name: string; values: unknown[] }> }, name: string) =>
  frame.fields.find((f) => f.name === name)?.values;

describe('legsFrame', () => {
  it('has one row per leg with its state now', () => {
    const f = legsFrame(LEGS_ANSWER, 'A');
    expect(f.refId).toBe('A');
    expect(f.length).toBe(3);
    expect(col(f, 'leg')).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(col(f, 'connected')).toEqual([true, true, false]);
    expect(col(f, 'lastReason')).toEqual([null, null, 'refused']);
    expect(col(f, 'segments')?.[2]).toBe('devvm-net → serve → probe');
  });
});

describe('eventsFrame', () => {
  it('sorts events by time and leaves fields a type lacks null', () => {
    const events = [...probeEvents()].reverse();
    const f = eventsFrame(events, 'B');
    const times = col(f, 'time') as number[];
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(col(f, 'type')?.[0]).toBe('probe_start');
    expect(col(f, 'leg')?.[0]).toBeNull();
    expect(col(f, 'reason')?.[1]).toBe('reset');
    expect((col(f, 'rtt') as number[]).slice(2, 4).sort((a, b) => a - b)).toEqual([8, 12]);
  });

  it('warns when the probe truncated the answer', () => {
    expect(eventsFrame([], 'B', true).meta?.notices?.[0]?.text).toMatch(/only the newest events/);
    expect(eventsFrame([], 'B', false).meta?.notices).toBeUndefined();
  });
});

describe('incidentsFrame and its annotations', () => {
  const now = at(60);

  it('maps each incident to a row with the annotation fields', () => {
    const incidents = probeIncidents();
    const f = incidentsFrame(incidents, 'C', now);
    expect(f.length).toBe(2);
    expect(col(f, 'time')).toEqual([incidents[0]?.start, incidents[1]?.start]);
    expect(col(f, 'timeEnd')).toEqual([incidents[0]?.end, incidents[1]?.end]);
    expect(col(f, 'suspects')).toEqual(['wan, cf-edge, tunnel', 'devvm-net, serve']);
    expect(col(f, 'open')).toEqual([false, false]);
  });

  it('turns each incident into an annotation: span, verdict title, evidence text, legs and suspects as tags', () => {
    const [tunnel] = probeIncidents();
    const [a] = annotationsFromFrames([incidentsFrame(probeIncidents(), 'C', now)]);
    expect(a).toEqual({
      id: tunnel?.id,
      time: tunnel?.start,
      timeEnd: tunnel?.end,
      isRegion: true,
      title: `t3 drop: ${tunnel?.summary}`,
      text:
        'cloudflare: failed (reset) — dropped (reset)\n' +
        'internal: clear — its connection stayed open through the break\n' +
        't3serve: clear — stayed up through a break of at least 25s; it checks every 10s',
      tags: ['cloudflare', 'wan', 'cf-edge', 'tunnel'],
    });
  });

  it('ends an open incident now and says it is provisional', () => {
    const open = probeIncidents(true).find((i) => i.end === null);
    expect(open).toBeDefined();
    const annotations = annotationsFromFrames([incidentsFrame(probeIncidents(true), 'C', now)]);
    const last = annotations.find((x) => x.id === open?.id);
    expect(last?.timeEnd).toBe(now);
    expect(last?.title).toMatch(/^t3 drop \(open, provisional\): /);
  });

  it('ignores frames that are not incidents', () => {
    expect(annotationsFromFrames([eventsFrame(probeEvents(), 'B'), legsFrame(LEGS_ANSWER, 'A')])).toEqual([]);
  });
});

describe('attributionFrames', () => {
  it('gives the verdict line, each segment state and each leg', () => {
    const verdict = probeVerdict();
    const [line, segments, legs] = attributionFrames(verdict, 'D');
    expect(col(line!, 'verdict')).toEqual(['incident']);
    expect(col(line!, 'headline')).toEqual([verdict.headline]);
    expect(col(segments!, 'segment')?.[0]).toBe('client');
    expect(col(segments!, 'state')?.[0]).toBe('unmonitored');
    expect(col(segments!, 'state')?.[1]).toBe('suspect');
    expect(col(legs!, 'leg')).toEqual(['cloudflare', 'internal', 't3serve']);
    expect(col(legs!, 'drops')).toEqual([2, 1, 1]);
  });
});

describe('healthMessage', () => {
  it('names the probe version and every leg with its state', () => {
    expect(healthMessage(LEGS_ANSWER)).toBe(
      'probe 0.1.0, legs: cloudflare (connected), internal (connected), t3serve (down)'
    );
    expect(healthMessage({ version: '1.2.3', legs: [] })).toBe('probe 1.2.3, legs: none configured');
  });
});

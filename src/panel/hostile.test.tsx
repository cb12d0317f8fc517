// @vitest-environment jsdom
/**
 * The panel against hostile frames: whatever Prometheus (or a proxy in front of it, or a label someone
 * wrote) hands over, the panel renders text as text, never throws, and says what was wrong with what.
 */
import { createDataFrame, type DataFrame, FieldType, LoadingState } from '@grafana/data';
import { screen } from '@testing-library/react';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TOPOLOGY } from '../attribution';
import { FROM, panelFrames, TO, without } from '../test/fixtures';
import { promInstant, promSeries } from '../test/frames';
import { panelProps } from '../test/panelProps';
import { renderWithProviders } from '../test/render';
import { AttributionPanel } from './AttributionPanel';
import { evidenceFromFrames } from '../shared/frames';
import { TEST_IDS } from '../shared/testIds';

const RANGE = { from: FROM, to: TO };
const XSS = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
const HUGE = 'x'.repeat(100_000);

declare global {
  interface Window {
    __pwned?: number;
  }
}

/** Renders the panel and returns what a person reads, failing on any console error React logged. */
function renderPanel(frames: DataFrame[], extra: Parameters<typeof panelProps>[1] = {}) {
  const errors = vi.spyOn(console, 'error');
  const view = renderWithProviders(<AttributionPanel {...panelProps(frames, extra)} />);
  expect(errors).not.toHaveBeenCalled();
  errors.mockRestore();
  return view;
}

afterEach(() => {
  delete window.__pwned;
});

describe('evidenceFromFrames on hostile frames', () => {
  it('a frame without fields, a field without values and null labels are no data, not a crash', () => {
    const noValues = { refId: 'rtt', length: 0, fields: [{ name: 'Value', type: FieldType.number, config: {} }] };
    const nullLabels = createDataFrame({
      refId: 'slow',
      fields: [{ name: 'Value', type: FieldType.number, values: [1], labels: null as unknown as undefined }],
    });
    const frames = [
      ...without(without(panelFrames(), 'rtt'), 'slow'),
      noValues as unknown as DataFrame,
      nullLabels,
      createDataFrame({ refId: 'connected', fields: [] }),
    ];
    const out = evidenceFromFrames(frames, DEFAULT_TOPOLOGY, RANGE);
    expect(out.evidence.legs.cloudflare?.rttP99Ms).toBeNull();
    expect(out.missing.map((m) => m.text)).toContain('no round-trip times for leg "cloudflare" ("rtt")');
    expect(out.warnings.join('\n')).toContain('"slow": a series has no "leg" label (labels: {}); ignored');
  });

  it('label values that are not strings are dropped, not stringified or crashed on', () => {
    const odd = createDataFrame({
      refId: 'drops',
      fields: [
        {
          name: 'Value',
          type: FieldType.number,
          values: [5],
          labels: { leg: 7, reason: { x: 1 } } as unknown as Record<string, string>,
        },
      ],
    });
    const out = evidenceFromFrames([...panelFrames(), odd], DEFAULT_TOPOLOGY, RANGE);
    expect(out.warnings).toContain('"drops": a series has no "leg" label (labels: {}); ignored');
    expect(out.evidence.legs.cloudflare?.drops?.error).toBeUndefined();
  });

  it('NaN and ±Infinity in every query are never counted, and each is named with its query and leg', () => {
    const frames = [
      ...without(without(without(panelFrames(), 'drops', 'internal'), 'slow', 'internal'), 'incidents'),
      promInstant('drops', { leg: 'internal', reason: 'reset' }, Infinity, TO),
      promInstant('drops', { leg: 'internal', reason: 'heartbeat_timeout' }, -Infinity, TO),
      promInstant('slow', { leg: 'internal' }, Number.NaN, TO),
      promInstant('incidents', { suspect: 'serve' }, -Infinity, TO),
    ];
    const out = evidenceFromFrames(frames, DEFAULT_TOPOLOGY, RANGE);
    expect(out.evidence.legs.internal?.drops).toEqual({});
    expect(out.evidence.legs.internal?.slowSamples).toBeNull();
    expect(out.evidence.incidentsBySuspect).toEqual({});
    const text = out.warnings.join('\n');
    expect(text).toContain('"drops": leg "internal" reason "reset" is Infinity');
    expect(text).toContain('"drops": leg "internal" reason "heartbeat_timeout" is -Infinity');
    expect(text).toContain('"incidents": suspect "serve" is -Infinity');
  });

  it('a negative counter increase is garbage, never a negative drop count', () => {
    const frames = [
      ...without(panelFrames(), 'drops', 'cloudflare'),
      promInstant('drops', { leg: 'cloudflare', reason: 'reset' }, -3, TO),
    ];
    const out = evidenceFromFrames(frames, DEFAULT_TOPOLOGY, RANGE);
    expect(out.evidence.legs.cloudflare?.drops?.reset).toBeUndefined();
    expect(out.warnings.join('\n')).toContain('"drops": leg "cloudflare" reason "reset" is -3');
  });

  it('-Infinity RTT is no data (only +Inf means "above the top bucket")', () => {
    const frames = [...without(panelFrames(), 'rtt', 't3serve'), promInstant('rtt', { leg: 't3serve' }, -Infinity, TO)];
    const out = evidenceFromFrames(frames, DEFAULT_TOPOLOGY, RANGE);
    expect(out.evidence.legs.t3serve?.rttP99Ms).toBeNull();
  });

  it('empty strings: an empty leg label is an unknown leg, an empty value string is no data', () => {
    const frames = [
      ...without(panelFrames(), 'connected', 'internal'),
      promSeries('connected', { leg: '' }, [1, 1], FROM),
      createDataFrame({
        refId: 'connected',
        fields: [{ name: 'Value', type: FieldType.number, values: ['', ''], labels: { leg: 'internal' } }],
      }),
    ];
    const out = evidenceFromFrames(frames, DEFAULT_TOPOLOGY, RANGE);
    expect(out.evidence.legs.internal?.connectedNow).toBeNull();
    expect(out.warnings).toContain('"connected": leg "" is not in the panel\'s topology; its series are ignored');
    expect(out.missing.map((m) => m.text)).toContain(
      'leg "internal" has a "connected" series but no values in the range'
    );
  });

  it('an enormous label value is clipped in the messages, not repeated 100 KB at a time', () => {
    const frames = [
      ...panelFrames(),
      promInstant('drops', { leg: HUGE, reason: 'reset' }, 1, TO),
      promInstant('drops', { leg: 'cloudflare', reason: HUGE }, 1, TO),
      promInstant('slow', { job: HUGE }, 1, TO),
    ];
    const out = evidenceFromFrames(frames, DEFAULT_TOPOLOGY, RANGE);
    expect(out.warnings.length).toBeGreaterThanOrEqual(3);
    for (const w of out.warnings) {
      expect(w.length).toBeLessThan(400);
    }
    expect(out.warnings.join('\n')).toContain('(100000 characters)');
    // The drop with an unknown reason is still counted (as "error"), on top of the fixture's zeros.
    expect(out.evidence.legs.cloudflare?.drops?.error).toBe(1);
  });

  it('thousands of unusable series give one message per query, not thousands', () => {
    const frames = [
      ...panelFrames(),
      ...Array.from({ length: 5_000 }, (_, i) => promInstant('slow', { pod: `p${i}` }, 1, TO)),
      ...Array.from({ length: 5_000 }, (_, i) => promInstant('rtt', { leg: `ghost-${i}` }, 1, TO)),
    ];
    const out = evidenceFromFrames(frames, DEFAULT_TOPOLOGY, RANGE);
    expect(out.warnings.length).toBeLessThanOrEqual(4);
    expect(out.warnings.join('\n')).toContain('5000 series without a "leg" label');
    expect(out.warnings.join('\n')).toMatch(/"rtt": 5000 legs are not in the panel's topology/);
  });
});

describe('AttributionPanel on hostile frames', () => {
  it('renders HTML and script in labels as text: nothing injected, nothing run', () => {
    const frames = [
      ...panelFrames(),
      promInstant('drops', { leg: XSS, reason: 'reset' }, 1, TO),
      promInstant('drops', { leg: 'cloudflare', reason: XSS }, 2, TO),
      promInstant('incidents', { suspect: XSS }, 4, TO),
      promInstant('slow', { job: XSS }, 1, TO),
    ];
    const { container } = renderPanel(frames);
    expect(container.querySelector('img, script, iframe, object, embed')).toBeNull();
    expect(window.__pwned).toBeUndefined();
    expect(screen.getByTestId(TEST_IDS.missing)).toHaveTextContent('<img src=x onerror=');
    expect(screen.getByTestId(TEST_IDS.missing)).toHaveTextContent('<script>window.__pwned=1</script>');
  });

  it('an unknown suspect segment in the incident counter is named, not drawn as a segment', () => {
    const frames = [
      ...without(panelFrames(), 'incidents'),
      promInstant('incidents', { suspect: 'no-such-segment' }, 2, TO),
    ];
    renderPanel(frames);
    expect(screen.queryByTestId(TEST_IDS.segment('no-such-segment'))).toBeNull();
    expect(screen.getByTestId(TEST_IDS.missing)).toHaveTextContent(
      '"incidents": suspect "no-such-segment" is not a segment'
    );
  });

  it('every value NaN: the verdict is unknown, never exonerated, and the panel says why', () => {
    const frames = panelFrames().map((f) =>
      createDataFrame({
        refId: f.refId,
        fields: f.fields.map((field) =>
          field.type === FieldType.number ? { ...field, values: field.values.map(() => Number.NaN) } : field
        ),
      })
    );
    renderPanel(frames);
    expect(screen.getByTestId(TEST_IDS.verdict)).toHaveAttribute('data-verdict', 'unknown');
    expect(screen.getByTestId(TEST_IDS.missing)).toHaveTextContent('no round trips measured for leg "cloudflare"');
  });

  it('a topology option with markup and an unknown segment shows the error state naming the key', () => {
    const topology = JSON.stringify({
      segments: [{ id: 'wan', name: XSS }],
      legs: [{ name: 'x', type: 'websocket', segments: ['nope'], intervalMs: 10_000, timeoutMs: 20_000 }],
    });
    const { container } = renderPanel(panelFrames(), { optionOverrides: { topology } });
    expect(screen.getByText(/legs\[0\]\.segments\[0\]/)).toBeInTheDocument();
    expect(container.querySelector('img, script')).toBeNull();
  });

  it('a query error with markup in its message is shown as text, naming the refId', () => {
    const props = panelProps(panelFrames());
    props.data = { ...props.data, state: LoadingState.Error, errors: [{ refId: 'rtt', message: XSS }] };
    const { container } = renderWithProviders(<AttributionPanel {...props} />);
    expect(screen.getByTestId(TEST_IDS.missing)).toHaveTextContent(`query "rtt" failed: ${XSS}`);
    expect(container.querySelector('img, script')).toBeNull();
  });

  it('a javascript: segment link option is refused and named, never put in an href', () => {
    const { container } = renderPanel(panelFrames(), {
      optionOverrides: { segmentLinks: 'tunnel=javascript:window.__pwned=1' },
    });
    for (const a of container.querySelectorAll('a')) {
      expect(a.getAttribute('href') ?? '').not.toMatch(/^\s*javascript:/i);
    }
    expect(screen.getByTestId(TEST_IDS.missing)).toHaveTextContent(/tunnel/);
  });
});

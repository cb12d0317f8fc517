import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY, verdictFromAggregates } from '../../attribution';
import { appSettings, settingsProblems } from '../../lib/appSettings';
import { FROM } from '../../test/fixtures';
import { at, probeIncidents, probeVerdict } from '../../test/probeFixtures';
import { filterIncidents, incidentTriageHref } from '../incidents/incidents.utils';
import { matchingCauses } from './knownCauseMatch';
import { disagreement, shareLink } from './triage.utils';

describe('disagreement', () => {
  it('is null when both sources name the same verdict and suspects', () => {
    const v = probeVerdict();
    expect(disagreement(v, { ...v })).toBeNull();
  });

  it('says what each source concluded when they differ', () => {
    const probe = probeVerdict();
    const prom = verdictFromAggregates(DEFAULT_TOPOLOGY, {
      from: FROM,
      to: at(60),
      probeUp: null,
      legs: {},
      incidentsBySuspect: null,
      pressure: {},
    });
    expect(disagreement(probe, prom)).toMatch(
      /^The probe's exact incidents say incident \(suspects: wan, cf-edge, tunnel, devvm-net, serve\); Prometheus's aggregates say unknown \(suspects: none\)\./
    );
  });
});

describe('shareLink', () => {
  it('is absolute, below the sub-path, with the window, the leg and a non-browser time zone', () => {
    expect(shareLink('https://g.example', '/grafana', { from: 1, to: 2, leg: 'internal' }, 'Europe/Berlin')).toBe(
      'https://g.example/grafana/a/t3-dropattribution-app/triage?from=1&to=2&leg=internal&tz=Europe%2FBerlin'
    );
    expect(shareLink('https://g.example', '', { from: 1, to: 2, leg: null }, 'browser')).toBe(
      'https://g.example/a/t3-dropattribution-app/triage?from=1&to=2'
    );
  });
});

describe('matchingCauses', () => {
  it('maps known-cause hints to the runbook causes once each, with the sources that saw them', () => {
    const v = probeVerdict();
    const causes = matchingCauses([
      { source: 'probe', verdict: v },
      { source: 'Prometheus', verdict: v },
      { source: 'nobody', verdict: null },
    ]);
    expect(causes.map((c) => c.key)).toEqual(['cloudflaredRestart']);
    expect(causes[0]?.runbook).toBe('§4.2');
    expect(causes[0]?.seenIn).toEqual(['probe', 'Prometheus']);
    expect(matchingCauses([{ source: 'Prometheus', verdict: v }])[0]?.seenIn).toEqual(['Prometheus']);
    expect(matchingCauses([{ source: 'probe', verdict: null }])).toEqual([]);
  });
});

describe('incidents list helpers', () => {
  const incidents = probeIncidents();
  it('filters by leg and suspect, newest first', () => {
    expect(filterIncidents(incidents, { leg: null, suspect: null }).map((i) => i.suspects[0])).toEqual([
      'devvm-net',
      'wan',
    ]);
    expect(filterIncidents(incidents, { leg: 'internal', suspect: null })).toHaveLength(1);
    expect(filterIncidents(incidents, { leg: null, suspect: 'tunnel' })[0]?.legs).toEqual(['cloudflare']);
    expect(filterIncidents(incidents, { leg: 'internal', suspect: 'tunnel' })).toEqual([]);
  });

  it('links an open incident to triage up to now', () => {
    const open = probeIncidents(true).find((i) => i.end === null)!;
    expect(incidentTriageHref(open, at(60), 't3serve')).toBe(
      `/a/t3-dropattribution-app/triage?from=${open.start - 60_000}&to=${at(60) + 60_000}&leg=t3serve`
    );
  });
});

describe('app settings', () => {
  it('fills the provisioned defaults and trims', () => {
    expect(appSettings(undefined)).toEqual({
      prometheusUid: 't3-prometheus',
      probeUid: 't3-attribution',
      devvmInstance: 'devvm',
      topology: '',
    });
    expect(appSettings({ prometheusUid: ' p ', devvmInstance: '' }).prometheusUid).toBe('p');
    expect(appSettings({ devvmInstance: '' }).devvmInstance).toBe('devvm');
  });

  it('names every problem before saving', () => {
    expect(settingsProblems(appSettings({}))).toEqual({});
    expect(
      settingsProblems({ prometheusUid: 'a b', probeUid: 'x'.repeat(41), devvmInstance: ' ', topology: '[]' })
    ).toEqual({
      prometheusUid: '"a b" is not a datasource uid (letters, digits, _ and -, at most 40)',
      probeUid: `"${'x'.repeat(41)}" is not a datasource uid (letters, digits, _ and -, at most 40)`,
      devvmInstance: 'the devvm instance label is empty',
      topology: "The app's topology: segments: must be a non-empty list",
    });
  });
});

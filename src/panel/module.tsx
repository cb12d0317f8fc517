import { PanelPlugin } from '@grafana/data';
import { DEFAULT_OPTIONS, type PanelOptions } from './options';
import { AttributionPanel } from './AttributionPanel';

export const plugin = new PanelPlugin<PanelOptions>(AttributionPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'topology',
      name: 'Topology',
      description: "Segments and legs as JSON (the probe config's topology). Empty: the runbook's default.",
      category: ['Topology'],
      defaultValue: DEFAULT_OPTIONS.topology,
      settings: { useTextarea: true, rows: 12 },
    })
    .addNumberInput({
      path: 'rttStallMs',
      name: 'RTT stall threshold (ms)',
      description: 'A heartbeat round trip slower than this is a stall sign.',
      category: ['Thresholds'],
      defaultValue: DEFAULT_OPTIONS.rttStallMs,
      settings: { min: 1, integer: true },
    })
    .addNumberInput({
      path: 'psiFull',
      name: 'devvm PSI full threshold',
      description: 'Share of time fully stalled on IO or memory (0–1) that counts as host pressure.',
      category: ['Thresholds'],
      defaultValue: DEFAULT_OPTIONS.psiFull,
      settings: { min: 0, max: 1, step: 0.01 },
    })
    .addBooleanSwitch({
      path: 'showDiagram',
      name: 'Path diagram',
      category: ['Show'],
      defaultValue: DEFAULT_OPTIONS.showDiagram,
    })
    .addBooleanSwitch({
      path: 'showRunbookTable',
      name: 'Runbook attribution table',
      category: ['Show'],
      defaultValue: DEFAULT_OPTIONS.showRunbookTable,
    })
    .addBooleanSwitch({
      path: 'showLegs',
      name: 'Per-leg evidence',
      category: ['Show'],
      defaultValue: DEFAULT_OPTIONS.showLegs,
    })
    .addBooleanSwitch({ path: 'showHints', name: 'Hints', category: ['Show'], defaultValue: DEFAULT_OPTIONS.showHints })
    .addTextInput({
      path: 'segmentLinks',
      name: 'Segment data links',
      description:
        'One "segment=url" per line; ${__from} and ${__to} are the range. Defaults: devvm segments → devvm pressure dashboard, others → triage.',
      category: ['Links'],
      defaultValue: DEFAULT_OPTIONS.segmentLinks,
      settings: { useTextarea: true, rows: 4 },
    })
    .addTextInput({
      path: 'probeDatasource',
      name: 'Attribution datasource uid',
      description:
        "The probe's datasource: when the dashboard's user variable names one user, the panel shows the probe's verdict for that user's report.",
      category: ['Per user'],
      defaultValue: DEFAULT_OPTIONS.probeDatasource,
    })
);

// Every `data-testid` the plugins render, for the components and for the unit, browser and bench code
// that finds them. `segment` and `verdict` are the contract (/work/shared/design.md): their values never change.
export const TEST_IDS = {
  appConfig: 't3-app-config',
  copyLink: 't3-copy-link',
  hints: 't3-hints',
  incidentTable: 't3-incident-table',
  incidents: 't3-incidents',
  knownCauses: 't3-known-causes',
  legEvidence: 't3-leg-evidence',
  logRecipe: 't3-log-recipe',
  missing: 't3-missing',
  panel: 't3-panel',
  panelError: 't3-panel-error',
  pressure: 't3-pressure',
  /** The matching runbook row's narrower verdict, when the legs name fewer segments than the row. */
  runbookNarrowed: 't3-runbook-narrowed',
  runbookTable: 't3-runbook-table',
  triage: 't3-triage',
  triageErrors: 't3-triage-errors',
  triageIncidents: 't3-triage-incidents',
  triageLink: 't3-triage-link',
  triagePrometheus: 't3-triage-prometheus',
  triageProbe: 't3-triage-probe',
  triageWindow: 't3-triage-window',
  verdict: 't3-verdict',
  /** A leg's bar in the path diagram. */
  leg: (name: string) => `t3-leg-${name}`,
  /** A leg's row in the evidence table. */
  legRow: (leg: string) => `t3-leg-row-${leg}`,
  /** A row of the runbook's attribution table, by its index. */
  runbookRow: (index: number) => `t3-runbook-row-${index}`,
  /** A segment of the path diagram; it carries `data-state`. */
  segment: (id: string) => `t3-segment-${id}`,
} as const;

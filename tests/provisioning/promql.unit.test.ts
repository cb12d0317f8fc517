// Every PromQL expression of the dashboards, Grafana-managed rules and Prometheus rule files parses with
// Prometheus' grammar, and the attribution panel runs exactly the queries of src/shared/promql.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY, normalizeTopology } from '../../src/attribution';
import { PANEL_QUERIES } from '../../src/shared/promql';
import {
  allExpressions,
  allPanels,
  dashboards,
  filesIn,
  IDS,
  PROV,
  promRules,
  grafanaRules,
  readYaml,
  type Obj,
} from './files';
import { comparisonOperand, comparisonSuffix, promqlErrors, substituteGrafanaVars } from './promql';

describe('the checker itself', () => {
  it('reports a broken expression and names an unknown Grafana variable', () => {
    expect(promqlErrors('sum by (leg (up)')).not.toEqual([]);
    expect(promqlErrors('rate(up[5m]')).not.toEqual([]);
    expect(promqlErrors('rate(up[5m])')).toEqual([]);
    expect(() => substituteGrafanaVars('up{x="$nope"}')).toThrow('unknown Grafana variable $nope');
    expect(substituteGrafanaVars('rate(x{i="${instance}"}[$__rate_interval])')).toBe('rate(x{i="devvm"}[1m])');
  });

  it('finds the measured side of an alert comparison', () => {
    expect(comparisonOperand('sum by (leg) (increase(x[10m])) >= 3')).toBe('sum by (leg) (increase(x[10m]))');
    expect(comparisonOperand('x == 0')).toBe('x');
    expect(comparisonOperand('a + b')).toBeNull();
    expect(comparisonOperand('x')).toBeNull();
    expect(comparisonSuffix('max by (i) (rate(x[5m]))  >  0.1')).toBe('> 0.1');
  });
});

describe('every expression parses', () => {
  const exprs = allExpressions();

  it('collects the expressions of every source', () => {
    const where = exprs.map((e) => e.where).join('\n');
    for (const s of [
      't3-drop-attribution.json',
      't3-devvm-pressure.json',
      't3-rules.yaml',
      't3-alerts.yml',
      't3-recording.yml',
    ]) {
      expect(where).toContain(s);
    }
    expect(exprs.length).toBeGreaterThan(25);
  });

  it.each(exprs.map((e) => [e.where, e.expr] as const))('%s', (_where, expr) => {
    expect(expr.trim()).not.toBe('');
    expect(promqlErrors(substituteGrafanaVars(expr))).toEqual([]);
  });
});

describe('recording rules', () => {
  it('follow level:metric:operations naming and are used by a dashboard', () => {
    const recorded = promRules().flatMap(({ rule }) => (rule.record ? [rule.record] : []));
    expect(recorded.length).toBeGreaterThan(0);
    const dashExprs = allExpressions()
      .map((e) => e.expr)
      .join('\n');
    for (const r of recorded) {
      expect(r).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
      expect(dashExprs, `${r} is recorded but no dashboard reads it`).toContain(r);
    }
  });
});

describe('Prometheus alert rules', () => {
  const alerts = promRules().flatMap(({ rule }) => (rule.alert ? [rule] : []));
  /** alertname → whether some promtool test expects it firing, and whether some expects it quiet. */
  const tested = new Map<string, { fires: boolean; quiet: boolean }>();
  for (const file of filesIn(join(PROV, 'prometheus/tests'), '.yml')) {
    const doc = readYaml(file) as {
      tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
    };
    for (const t of doc.tests.flatMap((x) => x.alert_rule_test ?? [])) {
      const seen = tested.get(t.alertname) ?? { fires: false, quiet: false };
      seen[t.exp_alerts.length > 0 ? 'fires' : 'quiet'] = true;
      tested.set(t.alertname, seen);
    }
  }

  it('are the five design alerts', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'T3DevvmPressure',
      'T3ProbeDropBurst',
      'T3ProbeLegDown',
      'T3ProbeMisconfigured',
      'T3SegmentSuspected',
    ]);
  });

  it("T3SegmentSuspected names every segment in the engine's words, and the promtool tests see each", () => {
    const summary = alerts.find((a) => a.alert === 'T3SegmentSuspected')!.annotations!.summary!;
    const named = [...summary.matchAll(/eq \$labels\.suspect "([^"]+)" \}\}([^{]+) \(\1\)/g)].map((m) => ({
      id: m[1],
      name: m[2],
    }));
    expect(named).toEqual(DEFAULT_TOPOLOGY.segments.map(({ id, name }) => ({ id, name })));
    // a user's own instance by the user's name, any other segment (a custom topology's) by its id
    expect(summary).toContain(
      `{{- else if match "^serve[.]" $labels.suspect }}{{ reReplaceAll "^serve[.]" "" $labels.suspect }}'s t3 serve instance ({{ $labels.suspect }})`
    );
    expect(summary).toContain('{{- else }}Segment {{ $labels.suspect }}{{ end }} suspected in');

    const doc = readYaml(join(PROV, 'prometheus/tests/t3-segment-suspected.test.yml')) as {
      tests: Array<{
        name: string;
        alert_rule_test: Array<{ exp_alerts: Array<{ exp_labels: Obj; exp_annotations: Obj }> }>;
      }>;
    };
    const expected = new Map(
      doc.tests.flatMap((t) =>
        t.alert_rule_test.flatMap((r) => r.exp_alerts.map((e) => [e.exp_labels.suspect, e.exp_annotations.summary]))
      )
    );
    const alice = normalizeTopology({ ...DEFAULT_TOPOLOGY, users: ['alice'] }).segments;
    expect(alice.map((s) => s.id)).toContain('serve.alice');
    for (const { id, name } of alice) {
      expect(expected.get(id), id).toBe(`${name} (${id}) suspected in 2 t3 incidents within 10 minutes`);
    }
  });

  it.each(alerts.map((a) => [a.alert!, a] as const))(
    '%s: severity, summary, description, a triage link, and promtool tests that see it fire and stay quiet',
    (name, a) => {
      expect(['critical', 'warning', 'info']).toContain(a.labels?.severity);
      expect(a.annotations?.summary && a.annotations.description).toBeTruthy();
      // per leg, or (T3SegmentSuspected, per segment) the window up to the evaluation
      expect(a.annotations?.runbook_url).toMatch(
        new RegExp(
          `^\\{\\{ \\$externalLabels\\.grafana_url \\}\\}${IDS.triagePath}\\?${name === 'T3SegmentSuspected' ? 'from=' : 'leg='}`
        )
      );
      expect(tested.get(name), `no promtool test for ${name}`).toEqual({ fires: true, quiet: true });
    }
  );
});

describe('the attribution panel', () => {
  const dash = dashboards().find(({ dash }) => dash.uid === 't3-drop-attribution')!.dash;
  const panel = allPanels(dash).find((p) => p.type === IDS.panel)!;

  it('runs exactly the queries of src/shared/promql.ts, by refId, instant or range as declared', () => {
    expect(panel.targets?.map((t) => ({ refId: t.refId, expr: t.expr, instant: t.instant, range: t.range }))).toEqual(
      PANEL_QUERIES.map((q) => ({
        refId: q.refId,
        expr: q.expr,
        instant: q.kind === 'instant',
        range: q.kind === 'range',
      }))
    );
  });

  it('queries the provisioned Prometheus', () => {
    for (const t of panel.targets ?? []) {
      expect(t.datasource).toEqual({ type: 'prometheus', uid: IDS.prometheusUid });
    }
  });
});

describe('Grafana-managed rules and the Prometheus rule file agree', () => {
  const prom = new Map(promRules().flatMap(({ rule }) => (rule.alert ? [[rule.alert, rule] as const] : [])));
  /**
   * Prometheus' template syntax in Grafana's: `$labels.x` is `.Labels.x`, `$value | f` is `f .Values.<reduce>.Value`
   * (the reduced query's value).
   */
  const asGrafana = (text: string | undefined, reduce = 'B'): string | undefined =>
    text
      ?.replace(/\$labels\./g, '.Labels.')
      .replace(/\{\{ \$value \| ([^}]+?) \}\}/g, `{{ $1 .Values.${reduce}.Value }}`);
  /** A triage link without the root URL template before it. */
  const triageLink = (url: string | undefined): string | undefined => url?.slice(url.indexOf(IDS.triagePath));
  /** A triage link's path and parameter names, whatever templates fill the values. */
  const linkShape = (url: string | undefined): string | undefined =>
    triageLink(url)?.replace(/=(?:\{\{[^}]*\}\})+/g, '={{…}}');

  it('every alert of the rule file has a Grafana-managed twin, and the other way round', () => {
    expect(
      grafanaRules()
        .map(({ rule }) => rule.title)
        .sort()
    ).toEqual([...prom.keys()].sort());
  });

  it.each(grafanaRules().map(({ rule }) => [rule.title, rule] as const))('%s', (title, rule) => {
    const p = prom.get(title);
    expect(p, `${title} has no twin in the Prometheus rule file`).toBeDefined();
    expect(rule.labels?.severity).toBe(p!.labels?.severity);
    expect(rule.for).toBe(p!.for ?? '0s');
    for (const k of ['__dashboardUid__', '__panelId__']) {
      expect(rule.annotations?.[k], k).toBe(p!.annotations?.[k]);
    }
    // The Grafana query is the Prometheus rule's measured side; the comparison moves to an expression.
    const query = rule.data.find((d) => d.datasourceUid === IDS.prometheusUid)!;
    const reduce = rule.data.find((d) => d.model.type === 'reduce' && d.model.expression === query.refId)!;
    expect(rule.annotations?.summary).toBe(asGrafana(p!.annotations?.summary, reduce.refId));
    expect(rule.annotations?.description).toBe(asGrafana(p!.annotations?.description));
    expect(linkShape(rule.annotations?.runbook_url)).toBe(linkShape(p!.annotations?.runbook_url));
    if (!p!.annotations?.runbook_url?.includes('query ')) {
      // no time in the link: the very same link (a window's bounds come from query() in Prometheus and
      // from the rule's own queries in Grafana, whose templates have no clock)
      expect(triageLink(rule.annotations?.runbook_url)).toBe(asGrafana(triageLink(p!.annotations?.runbook_url)));
    }
    const squash = (s: string) => s.replace(/\s+/g, '').replace(/\(\s*/g, '(');
    expect(squash(String(query.model.expr))).toBe(squash(comparisonOperand(p!.expr)!));
    // The condition applies the same comparison to the reduced query.
    const condition = rule.data.find((d) => d.refId === rule.condition)!;
    expect(condition.model).toMatchObject({
      type: 'math',
      expression: `$${reduce.refId} ${comparisonSuffix(p!.expr)}`,
    });
  });
});

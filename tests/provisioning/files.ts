/**
 * Reads the provisioning files the checks look at, with the repository's fixed ids in one place.
 * Every loader throws an error naming the file when it cannot parse it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const PROV = join(REPO, 'provisioning');

/** design.md's fixed ids. */
export const IDS = {
  app: 't3-dropattribution-app',
  panel: 't3-dropattribution-panel',
  datasource: 't3-dropattribution-datasource',
  prometheusUid: 't3-prometheus',
  probeUid: 't3-attribution',
  dashboards: ['t3-drop-attribution', 't3-devvm-pressure'],
  triagePath: '/a/t3-dropattribution-app/triage',
} as const;

export type Obj = Record<string, unknown>;

export function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** Files in `dir` (not recursive) whose names end with one of `exts`, sorted, as absolute paths. */
export function filesIn(dir: string, ...exts: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && exts.some((e) => d.name.endsWith(e)))
    .map((d) => join(dir, d.name))
    .sort();
}

interface Panel extends Obj {
  id: number;
  type: string;
  title: string;
  targets?: Obj[];
  panels?: Panel[];
}

interface Dashboard extends Obj {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
}

export function dashboards(): Array<{ file: string; dash: Dashboard }> {
  return filesIn(join(PROV, 'dashboards/json'), '.json').map((file) => ({ file, dash: readJson(file) as Dashboard }));
}

/** Every panel, rows' nested panels included. */
export function allPanels(dash: Dashboard): Panel[] {
  return dash.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

interface GrafanaRule extends Obj {
  uid: string;
  title: string;
  condition: string;
  data: Array<{ refId: string; datasourceUid: string; relativeTimeRange?: Obj; model: Obj }>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function grafanaRules(): Array<{ file: string; group: Obj; rule: GrafanaRule }> {
  return filesIn(join(PROV, 'alerting'), '.yaml', '.yml').flatMap((file) => {
    const doc = readYaml(file) as { groups?: Obj[] };
    return (doc.groups ?? []).flatMap((group) =>
      ((group.rules as GrafanaRule[]) ?? []).map((rule) => ({ file, group, rule }))
    );
  });
}

interface PromRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const RULES_DIR = join(PROV, 'prometheus/rules');

export function promRules(): Array<{ file: string; group: string; rule: PromRule }> {
  return filesIn(RULES_DIR, '.yml').flatMap((file) => {
    const doc = readYaml(file) as { groups: Array<{ name: string; rules: PromRule[] }> };
    return doc.groups.flatMap((g) => g.rules.map((rule) => ({ file, group: g.name, rule })));
  });
}

/** One PromQL expression and where it lives, for messages. */
interface Expression {
  where: string;
  expr: string;
}

/** Every PromQL expression in dashboards, Grafana-managed rules and Prometheus rule files. */
export function allExpressions(): Expression[] {
  const out: Expression[] = [];
  for (const { file, dash } of dashboards()) {
    for (const panel of allPanels(dash)) {
      for (const t of panel.targets ?? []) {
        const ds = (t.datasource ?? panel.datasource) as Obj | undefined;
        if (ds?.type === 'prometheus') {
          out.push({ where: `${file} panel ${panel.id} ${String(t.refId)}`, expr: String(t.expr) });
        }
      }
    }
  }
  for (const { file, rule } of grafanaRules()) {
    for (const d of rule.data) {
      if (d.datasourceUid === IDS.prometheusUid) {
        out.push({ where: `${file} ${rule.uid} ${d.refId}`, expr: String(d.model.expr) });
      }
    }
  }
  for (const { file, rule } of promRules()) {
    out.push({ where: `${file} ${rule.alert ?? rule.record}`, expr: rule.expr });
  }
  return out;
}

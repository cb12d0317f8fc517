// Grafana provisioning: every file parses, has the fields Grafana requires for its kind, and every uid,
// panel id and plugin id it refers to exists.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chosenUser } from '../../src/shared/user';
import { allPanels, dashboards, filesIn, grafanaRules, IDS, PROV, readYaml, type Obj } from './files';

const datasourceDocs = filesIn(join(PROV, 'datasources'), '.yaml', '.yml').map((file) => ({
  file,
  doc: readYaml(file) as Obj,
}));
const datasources = datasourceDocs.flatMap(({ doc }) => doc.datasources as Obj[]);
const dsUids = new Set([...datasources.map((d) => d.uid as string), '-- Grafana --', '__expr__']);
const dashUids = new Set(dashboards().map(({ dash }) => dash.uid));
const panelIds = new Map(dashboards().map(({ dash }) => [dash.uid, new Set(allPanels(dash).map((p) => p.id))]));

/** A `/d/<uid>` link's uid, or null for other URLs. */
function linkedDashboard(url: string): string | null {
  return /^\/d\/([^/?]+)/.exec(url)?.[1] ?? null;
}

describe('datasources', () => {
  it('every file is apiVersion 1 with complete datasources', () => {
    expect(datasourceDocs.length).toBeGreaterThan(0);
    for (const { file, doc } of datasourceDocs) {
      expect(doc.apiVersion, file).toBe(1);
      for (const ds of doc.datasources as Obj[]) {
        for (const key of ['name', 'type', 'uid', 'access']) {
          expect(ds[key], `${file} ${String(ds.name)}.${key}`).toBeTruthy();
        }
      }
    }
  });

  it('provisions Prometheus as t3-prometheus with its URL from the environment', () => {
    const prom = datasources.find((d) => d.uid === IDS.prometheusUid);
    expect(prom).toMatchObject({ type: 'prometheus', access: 'proxy', url: '$T3_PROMETHEUS_URL' });
  });

  it('provisions the probe datasource as t3-attribution, token server-side only', () => {
    const probe = datasources.find((d) => d.uid === IDS.probeUid);
    expect(probe).toMatchObject({
      type: IDS.datasource,
      jsonData: { url: '$T3_PROBE_URL' },
      secureJsonData: { apiToken: '$T3_PROBE_API_TOKEN' },
    });
    expect(JSON.stringify(probe?.jsonData)).not.toContain('TOKEN');
  });

  it('uids are unique', () => {
    const uids = datasources.map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });
});

describe('app plugin', () => {
  it('enables the app with the design jsonData defaults, pointing at provisioned datasources', () => {
    const [file] = filesIn(join(PROV, 'plugins'), '.yaml');
    const doc = readYaml(file!) as { apiVersion: number; apps: Obj[] };
    expect(doc.apiVersion).toBe(1);
    expect(doc.apps).toEqual([
      {
        type: IDS.app,
        org_id: 1,
        disabled: false,
        jsonData: { prometheusUid: IDS.prometheusUid, probeUid: IDS.probeUid, devvmInstance: 'devvm' },
      },
    ]);
    const jsonData = doc.apps[0]!.jsonData as Obj;
    expect(dsUids).toContain(jsonData.prometheusUid);
    expect(dsUids).toContain(jsonData.probeUid);
  });
});

describe('dashboard provider', () => {
  it('is a file provider whose path is where docker-compose.yaml mounts the JSON', () => {
    const [file] = filesIn(join(PROV, 'dashboards'), '.yaml');
    const doc = readYaml(file!) as { apiVersion: number; providers: Obj[] };
    expect(doc.apiVersion).toBe(1);
    const [p] = doc.providers;
    expect(p).toMatchObject({ type: 'file', options: { path: '/etc/grafana/provisioning/dashboards/json' } });
    expect(p!.name && p!.folder).toBeTruthy();
  });
});

describe('dashboards', () => {
  it('are exactly the two design uids', () => {
    expect([...dashUids].sort()).toEqual([...IDS.dashboards].sort());
  });

  for (const { file, dash } of dashboards()) {
    describe(dash.uid, () => {
      it('has the fields of a classic dashboard at schemaVersion 42', () => {
        expect(dash.schemaVersion, file).toBe(42);
        for (const key of ['uid', 'title', 'time', 'panels', 'templating', 'annotations']) {
          expect(dash[key], `${file} ${key}`).toBeTruthy();
        }
        expect(dash.id ?? null, 'provisioned dashboards carry no database id').toBeNull();
      });

      it('has stable, unique panel ids and complete panels', () => {
        const panels = allPanels(dash);
        const ids = panels.map((p) => p.id);
        expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
        expect(new Set(ids).size, `duplicate panel id in ${file}`).toBe(ids.length);
        for (const p of panels) {
          expect(p.type && p.title, `panel ${p.id}`).toBeTruthy();
          const g = p.gridPos as { x: number; y: number; w: number; h: number };
          expect(g.x + g.w, `panel ${p.id} is wider than the grid`).toBeLessThanOrEqual(24);
          if (p.type !== 'row') {
            expect(p.targets?.length, `panel ${p.id} has no queries`).toBeGreaterThan(0);
          }
        }
      });

      it('refers only to provisioned datasources', () => {
        const refs: Obj[] = [];
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) {
            v.forEach(walk);
          } else if (v && typeof v === 'object') {
            const o = v as Obj;
            if (o.datasource && typeof o.datasource === 'object') {
              refs.push(o.datasource as Obj);
            }
            Object.values(o).forEach(walk);
          }
        };
        walk(dash);
        expect(refs.length).toBeGreaterThan(0);
        for (const r of refs) {
          expect(dsUids, JSON.stringify(r)).toContain(r.uid);
        }
      });

      it("shows the probe's incidents as annotations", () => {
        const list = (dash.annotations as { list: Obj[] }).list;
        expect(list).toContainEqual(
          expect.objectContaining({
            enable: true,
            datasource: { type: IDS.datasource, uid: IDS.probeUid },
            target: expect.objectContaining({ queryType: 'incidents' }),
          })
        );
      });

      it('links to the other dashboard and to the triage page; every /d/ link exists', () => {
        const links = dash.links as Array<{ url: string; keepTime?: boolean }>;
        const other = IDS.dashboards.find((u) => u !== dash.uid);
        expect(links.map((l) => linkedDashboard(l.url))).toContain(other);
        expect(links.some((l) => l.url.startsWith(IDS.triagePath) && l.keepTime)).toBe(true);
        const panelLinks = allPanels(dash).flatMap((p) => [
          ...((p.links as Array<{ url: string }>) ?? []),
          ...((p.fieldConfig as { defaults?: { links?: Array<{ url: string }> } })?.defaults?.links ?? []),
        ]);
        for (const { url } of [...links, ...panelLinks]) {
          const uid = linkedDashboard(url);
          if (uid !== null) {
            expect(dashUids, url).toContain(uid);
          }
          if (url.startsWith('/a/')) {
            expect(url.startsWith(IDS.triagePath), url).toBe(true);
          }
        }
      });

      it('has a devvm instance variable defaulting to devvm', () => {
        const vars = (dash.templating as { list: Obj[] }).list;
        expect(vars.find((v) => v.name === 'instance')).toMatchObject({
          current: { value: 'devvm' },
          datasource: { uid: IDS.prometheusUid },
        });
      });
    });
  }

  it('t3-drop-attribution: the attribution panel on top, the required panels, 6 hours, a leg variable', () => {
    const dash = dashboards().find(({ dash }) => dash.uid === 't3-drop-attribution')!.dash;
    expect(dash.time).toEqual({ from: 'now-6h', to: 'now' });
    const top = [...dash.panels].sort((a, b) => (a.gridPos as { y: number }).y - (b.gridPos as { y: number }).y)[0]!;
    expect(top).toMatchObject({ id: 1, type: IDS.panel });
    const types = allPanels(dash).map((p) => p.type);
    for (const t of ['state-timeline', 'timeseries', 'table', 'row']) {
      expect(types).toContain(t);
    }
    const table = allPanels(dash).find((p) => p.type === 'table')!;
    expect(table.targets).toEqual([
      expect.objectContaining({
        datasource: { type: IDS.datasource, uid: IDS.probeUid },
        queryType: 'incidents',
        user: '$user',
      }),
    ]);
    const exprs = allPanels(dash).flatMap((p) => (p.targets ?? []).map((t) => String(t.expr)));
    expect(
      exprs.some((e) => e.includes('histogram_quantile(0.5,')) &&
        exprs.some((e) => e.includes('histogram_quantile(0.99,'))
    ).toBe(true);
    const vars = (dash.templating as { list: Obj[] }).list.map((v) => v.name);
    expect(vars).toEqual(expect.arrayContaining(['leg', 'user', 'instance']));
  });

  it("t3-drop-attribution: a user variable listing the probe's users, All meaning every user (the panel's chosenUser)", () => {
    const dash = dashboards().find(({ dash }) => dash.uid === 't3-drop-attribution')!.dash;
    const user = (dash.templating as { list: Obj[] }).list.find((v) => v.name === 'user')!;
    expect(user).toMatchObject({
      type: 'query',
      datasource: { type: IDS.datasource, uid: IDS.probeUid },
      query: 'users',
      includeAll: true,
      multi: false,
      current: { value: '$__all' },
    });
    // Grafana puts the All value in for ${user}: it must read as no one user, never as a user's name.
    expect(chosenUser(String(user.allValue))).toBeNull();
  });

  it('t3-devvm-pressure: PSI some and full for IO, memory and CPU, swap, memory, disk and load', () => {
    const dash = dashboards().find(({ dash }) => dash.uid === 't3-devvm-pressure')!.dash;
    const exprs = allPanels(dash)
      .flatMap((p) => (p.targets ?? []).map((t) => String(t.expr)))
      .join('\n');
    for (const r of ['io', 'memory', 'cpu']) {
      expect(exprs).toContain(`node_pressure_${r}_waiting_seconds_total`);
      expect(exprs).toContain(`node_pressure_${r}_stalled_seconds_total`);
    }
    for (const m of [
      'node_memory_SwapFree_bytes',
      'node_vmstat_pswpin',
      'node_vmstat_pswpout',
      'node_memory_MemAvailable_bytes',
      'node_disk_io_time_seconds_total',
      'node_load1',
    ]) {
      expect(exprs).toContain(m);
    }
  });
});

describe('Grafana-managed alert rules', () => {
  const rules = grafanaRules();
  const byTitle = new Map(rules.map(({ rule }) => [rule.title, rule]));

  it('are the five design rules with their uids', () => {
    expect(byTitle.get('T3ProbeLegDown')?.uid).toBe('t3-probe-leg-down');
    expect(byTitle.get('T3ProbeDropBurst')?.uid).toBe('t3-probe-drop-burst');
    expect(byTitle.get('T3ProbeMisconfigured')?.uid).toBe('t3-probe-misconfigured');
    expect(byTitle.get('T3SegmentSuspected')?.uid).toBe('t3-segment-suspected');
    expect(byTitle.get('T3DevvmPressure')?.uid).toBeTruthy();
    expect(rules).toHaveLength(5);
    const uids = rules.map(({ rule }) => rule.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('T3SegmentSuspected: the window of its link is 10 minutes up to the last scrape, per segment', () => {
    const rule = byTitle.get('T3SegmentSuspected')!;
    const ref = (id: string) => rule.data.find((d) => d.refId === id)!.model;
    expect(ref('A').expr).toBe('max by (suspect) (increase(t3probe_incidents_total[10m]))');
    // the same grouping as A, so each alert instance finds its own E and F among the values
    expect(ref('D').expr).toBe('max by (suspect) (timestamp(t3probe_incidents_total)) * 1000');
    expect(ref('E')).toMatchObject({ type: 'reduce', expression: 'D', reducer: 'last' });
    expect(ref('F')).toMatchObject({ type: 'math', expression: '$E - 600000' });
  });

  it("T3ProbeMisconfigured says it is the probe's own credentials or version, and what to do", () => {
    const d = byTitle.get('T3ProbeMisconfigured')!.annotations!.description!;
    expect(d).toContain('not the path');
    expect(d).toContain('t3 auth session issue --token-only --ttl');
    expect(d).toContain("the server's orchestration protocol changed");
  });

  for (const { file, group, rule } of rules) {
    it(`${rule.title}: complete, its condition and expressions resolve, its datasources exist`, () => {
      for (const key of ['orgId', 'name', 'folder', 'interval']) {
        expect(group[key], `${file} group.${key}`).toBeTruthy();
      }
      for (const key of ['uid', 'title', 'condition', 'data', 'for', 'noDataState', 'execErrState']) {
        expect(rule[key], `${rule.title}.${key}`).toBeDefined();
      }
      const refIds = rule.data.map((d) => d.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      expect(refIds).toContain(rule.condition);
      for (const d of rule.data) {
        expect(dsUids, `${rule.title} ${d.refId}`).toContain(d.datasourceUid);
        expect(d.model.refId).toBe(d.refId);
        if (d.datasourceUid === '__expr__') {
          const input = String(d.model.expression).replace(/^\$/, '');
          const inputs =
            d.model.type === 'math' ? [...String(d.model.expression).matchAll(/\$(\w+)/g)].map((m) => m[1]) : [input];
          for (const i of inputs) {
            expect(refIds, `${rule.title} ${d.refId} reads ${i}`).toContain(i);
          }
        } else {
          expect(d.relativeTimeRange, `${rule.title} ${d.refId}`).toBeTruthy();
          expect(d.model.expr).toBeTruthy();
        }
      }
    });

    it(`${rule.title}: summary, description, severity, triage runbook_url, linked to an existing panel`, () => {
      const a = rule.annotations ?? {};
      expect(a.summary && a.description).toBeTruthy();
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(a.runbook_url).toMatch(/^\{\{ reReplaceAll "\/\+\$" "" externalURL \}\}\/a\//);
      if (rule.title === 'T3SegmentSuspected') {
        // per segment, not per leg: the triage page for the window, from the rule's own time queries
        expect(a.runbook_url).toContain(
          `${IDS.triagePath}?from={{ printf "%.0f" .Values.F.Value }}&to={{ printf "%.0f" .Values.E.Value }}`
        );
      } else {
        expect(a.runbook_url).toContain(`${IDS.triagePath}?leg=`);
      }
      if (rule.title !== 'T3DevvmPressure' && rule.title !== 'T3SegmentSuspected') {
        // a user's leg (t3probe_leg_info joined) links the triage page for that user
        expect(a.runbook_url).toMatch(
          /leg=\{\{ \.Labels\.leg \}\}\{\{ with \.Labels\.user \}\}&user=\{\{ \. \}\}\{\{ end \}\}$/
        );
      }
      expect(a.__dashboardUid__).toBe(rule.dashboardUid);
      expect(a.__panelId__).toBe(String(rule.panelId));
      expect(panelIds.get(rule.dashboardUid as string), `${rule.title} links ${String(rule.dashboardUid)}`).toContain(
        rule.panelId
      );
    });

    it(`${rule.title}: no label or annotation text that Grafana could take for an environment variable`, () => {
      for (const [k, v] of Object.entries({ ...rule.labels, ...rule.annotations })) {
        expect(v, k).not.toMatch(/\$(\w|\{)/);
      }
    });
  }
});

describe('contact point and policy', () => {
  const docs = filesIn(join(PROV, 'alerting'), '.yaml').map((f) => readYaml(f) as Obj);
  const contactPoints = docs.flatMap((d) => (d.contactPoints as Obj[]) ?? []);
  const policies = docs.flatMap((d) => (d.policies as Obj[]) ?? []);

  it('the policy routes to a provisioned contact point whose destination comes from the environment', () => {
    expect(policies).toHaveLength(1);
    const names = contactPoints.map((c) => c.name);
    expect(names).toContain(policies[0]!.receiver);
    const receivers = contactPoints.flatMap((c) => c.receivers as Obj[]);
    expect(receivers.every((r) => r.uid && r.type && r.settings)).toBe(true);
    expect(JSON.stringify(receivers)).toContain('$T3_ALERT_WEBHOOK_URL');
    expect(policies[0]!.group_by).toContain('leg');
  });
});

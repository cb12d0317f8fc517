// provisioning/kubernetes: each manifest is a valid object of its kind, they reference each other
// consistently, and the PrometheusRule is exactly the Prometheus rule files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../probe-sidecar/src/config/load';
import { buildPrometheusRule, OUTPUT, readRuleGroups } from '../../provisioning/kubernetes/build-prometheusrule';
import { filesIn, PROV, readYaml, type Obj } from './files';

const DIR = join(PROV, 'kubernetes');
const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  ConfigMap,
  PersistentVolumeClaim,
  Deployment,
  Service,
  ServiceMonitor,
  PrometheusRule,
};

type Labels = Record<string, string>;
interface Manifest extends Obj {
  kind: string;
  metadata: { name: string; labels: Labels };
  data?: Record<string, string>;
}
interface Container {
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  readinessProbe: { httpGet: { port: string } };
  livenessProbe: { httpGet: { port: string } };
}
interface DeploymentSpec {
  replicas: number;
  strategy: { type: string };
  selector: { matchLabels: Labels };
  template: { metadata: { labels: Labels }; spec: { containers: Container[]; volumes: Obj[] } };
}
interface ServiceSpec {
  selector: Labels;
  ports: Array<{ name: string; targetPort: string }>;
}
interface ServiceMonitorSpec {
  selector: { matchLabels: Labels };
  endpoints: Array<{ port: string; path: string }>;
}

const manifests = filesIn(DIR, '.yaml')
  .filter((f) => !f.endsWith('kustomization.yaml'))
  .map((file) => ({ file, obj: readYaml(file) as Manifest }));
function one<Spec>(kind: string): Manifest & { spec: Spec } {
  const found = manifests.filter((m) => m.obj.kind === kind);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}, found ${found.length}`);
  }
  return found[0]!.obj as Manifest & { spec: Spec };
}

describe('Kubernetes manifests', () => {
  it('has one of each kind the probe needs', () => {
    expect(manifests.map((m) => m.obj.kind).sort()).toEqual(Object.keys(MODELS).sort());
  });

  it.each(manifests.map((m) => [m.file.slice(DIR.length + 1), m.obj] as const))(
    '%s validates as its kind',
    (_f, obj) => {
      const Model = MODELS[obj.kind as string];
      expect(Model, `unexpected kind ${String(obj.kind)}`).toBeDefined();
      expect(() => new Model!(obj as never).validate()).not.toThrow();
    }
  );

  it('the validation catches a broken manifest', () => {
    const broken = structuredClone(one<Partial<DeploymentSpec>>('Deployment'));
    delete broken.spec.selector;
    expect(() => new Deployment(broken as never).validate()).toThrow(/selector/);
  });

  it('kustomization.yaml lists every manifest', () => {
    const k = readYaml(join(DIR, 'kustomization.yaml')) as { resources: string[] };
    expect([...k.resources].sort()).toEqual(manifests.map((m) => m.file.slice(DIR.length + 1)).sort());
  });

  const dep = one<DeploymentSpec>('Deployment');
  const svc = one<ServiceSpec>('Service');
  const sm = one<ServiceMonitorSpec>('ServiceMonitor');
  const pod = dep.spec.template.spec;
  const container = pod.containers[0]!;
  const probeConfigText = one<unknown>('ConfigMap').data!['probe.yaml']!;

  it("the Deployment's selector matches its pod labels, and the Service's selects those pods", () => {
    const podLabels = dep.spec.template.metadata.labels;
    expect(podLabels).toMatchObject(dep.spec.selector.matchLabels);
    expect(podLabels).toMatchObject(svc.spec.selector);
  });

  it('the ServiceMonitor selects the Service and scrapes a port it has', () => {
    expect(svc.metadata.labels).toMatchObject(sm.spec.selector.matchLabels);
    const names = svc.spec.ports.map((p) => p.name);
    for (const e of sm.spec.endpoints) {
      expect(names).toContain(e.port);
      expect(e.path).toBe('/metrics');
    }
    // Prometheus-operator names the job after the Service: the dashboards query job="t3-probe"
    expect(svc.metadata.name).toBe('t3-probe');
  });

  it("the Service's target port is a named container port, and the probe listens on it", () => {
    const ports = container.ports;
    for (const p of svc.spec.ports) {
      expect(ports.map((c) => c.name)).toContain(p.targetPort);
    }
    const cfg = parse(probeConfigText) as Obj;
    expect(String(cfg.listen).endsWith(`:${ports[0]!.containerPort}`)).toBe(true);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(ports.map((c) => c.name)).toContain(probe.httpGet.port);
    }
  });

  it('every volume refers to the ConfigMap, PVC and Secret by name, and every mount to a volume', () => {
    const volumes = pod.volumes;
    expect(volumes.map((v) => (v.configMap as Obj)?.name).filter(Boolean)).toEqual([one('ConfigMap').metadata.name]);
    expect(volumes.map((v) => (v.persistentVolumeClaim as Obj)?.claimName).filter(Boolean)).toEqual([
      one('PersistentVolumeClaim').metadata.name,
    ]);
    const names = volumes.map((v) => v.name);
    for (const m of container.volumeMounts) {
      expect(names).toContain(m.name);
    }
  });

  it("the ConfigMap's probe config is valid for the probe, with its file paths on the mounts", () => {
    const cfg = parse(probeConfigText) as Obj & { dataDir: string; api: { tokenFile: string } };
    const mountOf = (name: string) => container.volumeMounts.find((m) => m.name === name)!.mountPath;
    expect(cfg.dataDir).toBe(mountOf('data'));
    expect(cfg.api.tokenFile.startsWith(`${mountOf('api-token')}/`)).toBe(true);
    expect(container.args).toEqual(['--config', `${mountOf('config')}/probe.yaml`]);
    // The Secret is the user's; stand one in to let the probe's own validation read it.
    const dir = mkdtempSync(join(tmpdir(), 't3-k8s-'));
    try {
      writeFileSync(join(dir, 'token'), 'secret\n');
      const parsed = validateConfig({ ...cfg, api: { tokenFile: join(dir, 'token') } }, dir);
      expect(parsed.legs.map((l) => l.name)).toEqual(['cloudflare', 'internal', 't3serve']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('one replica, replaced not rolled: two probes must never share the store', () => {
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy.type).toBe('Recreate');
  });
});

describe('PrometheusRule', () => {
  it("has exactly the rule files' groups", () => {
    expect(one<{ groups: unknown[] }>('PrometheusRule').spec.groups).toEqual(readRuleGroups());
  });

  it('is what build-prometheusrule.ts writes now (rerun it after editing a rule file)', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(await buildPrometheusRule(readRuleGroups()));
  });

  it('the generator refuses a directory without rule files', () => {
    const dir = mkdtempSync(join(tmpdir(), 't3-rules-'));
    try {
      expect(() => readRuleGroups(dir)).toThrow(/no \*\.yml rule files/);
      writeFileSync(join(dir, 'bad.yml'), 'rules: []\n');
      expect(() => readRuleGroups(dir)).toThrow(/bad\.yml: expected a top-level "groups" list/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

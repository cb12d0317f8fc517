/**
 * The harness's HTTP server on 127.0.0.1, standing in for the Grafana server: it serves the plugin's
 * dist/ at public/plugins/<app id>/ (as Grafana serves plugins; also below PLUGIN_CDN_BASE, a second base
 * URL as Grafana's plugin CDN gives one), the page shell with boot data and the SystemJS import map, the
 * shared-module bundle, the data proxy stand-in, and an in-memory /api/plugins/<id>/settings. As in
 * Grafana, the boot data lists the nested panel and datasource only while the app is enabled. Every 404
 * is recorded so tests can assert the page loaded cleanly.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { APP_ID } from '../../../src/constants';
import type { SharedBundle } from './bundle';
import { coreAssetFile } from './coreAssets';
import { proxyDatasourceRequest, type HarnessDatasource, type PluginRoute, type ProxyLogEntry } from './dataProxy';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SYSTEMJS = path.join(ROOT, 'node_modules/systemjs/dist');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown',
  '.map': 'application/json',
  '.otf': 'font/otf',
  '.ttf': 'font/ttf',
};

/** Where Grafana's plugin CDN would serve the same dist/ (`<cdn>/<id>/<version>/public/plugins/<id>/`). */
export const PLUGIN_CDN_BASE = `/plugins-cdn/${APP_ID}/0.0.0/public/plugins/${APP_ID}/`;

export interface AppSettings {
  /** Nested plugins are disabled while their app is not enabled in the organisation. */
  enabled: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

interface ServerOptions {
  /** The built plugin to serve (the repository's dist/ unless a test built a variant). */
  dist: string;
  bundle: SharedBundle;
  datasources: HarnessDatasource[];
  appSettings: AppSettings;
  variables: Record<string, string>;
  /** How long the data proxy waits for a datasource's server (Grafana's [dataproxy] timeout, 30 s). */
  proxyTimeoutMs: number;
}

interface HarnessServer {
  url: string;
  server: Server;
  proxyLog: ProxyLogEntry[];
  notFound: string[];
  appSettings: AppSettings;
}

type PluginJson = Record<string, unknown> & { id: string; info: { version: string }; routes?: PluginRoute[] };

function readPluginJson(dist: string, file: string): PluginJson {
  return JSON.parse(readFileSync(path.join(dist, file), 'utf8'));
}

/** A plugin's meta as Grafana's boot data carries it: plugin.json plus where its module is. */
function pluginMeta(json: PluginJson, folder: string): PluginJson {
  const baseUrl = `public/plugins/${APP_ID}${folder}`;
  return { ...json, module: `${baseUrl}/module.js`, baseUrl };
}

/** What Grafana's boot data says about each datasource: no secrets, url = the data proxy path. */
function instanceSettings(ds: HarnessDatasource, ownPlugin: PluginJson): DataSourceInstanceSettings {
  const own = ds.type === ownPlugin.id;
  return {
    id: 0,
    uid: ds.uid,
    name: ds.name,
    type: ds.type,
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${ds.uid}`,
    jsonData: ds.jsonData ?? {},
    readOnly: true,
    isDefault: ds.isDefault ?? false,
    meta: own
      ? pluginMeta(ownPlugin, '/datasource')
      : { id: ds.type, name: ds.type, type: 'datasource', module: `core:plugin/${ds.type}`, baseUrl: '', info: {} },
  } as unknown as DataSourceInstanceSettings;
}

interface OwnPlugins {
  app: PluginJson;
  panel: PluginJson;
  datasource: PluginJson;
}

function pageShell(options: ServerOptions, own: OwnPlugins): string {
  const enabled = options.appSettings.enabled;
  // Grafana leaves datasources of a disabled plugin out of the boot data, and disabled panels with them.
  const datasources = Object.fromEntries(
    options.datasources
      .filter((ds) => enabled || ds.type !== own.datasource.id)
      .map((ds) => [ds.name, instanceSettings(ds, own.datasource)])
  );
  const app = pluginMeta(own.app, '');
  const bootData = {
    settings: {
      datasources,
      panels: enabled ? { [own.panel.id]: pluginMeta(own.panel, '/panel') } : {},
      apps: enabled ? { [app.id]: { id: app.id, path: app.module, version: app.info.version, preload: false } } : {},
      defaultDatasource: options.datasources.find((d) => d.isDefault)?.name ?? '',
      buildInfo: {
        version: options.bundle.grafana,
        commit: 'harness',
        env: 'production',
        edition: 'Open Source',
      },
      appSubUrl: '',
      featureToggles: {},
    },
    user: { isSignedIn: true, login: 'harness', orgRole: 'Admin', theme: 'dark', timezone: 'utc', orgId: 1 },
    navTree: [],
    assets: { dark: '', light: '' },
    harnessVariables: options.variables,
  };
  const importMap = {
    imports: Object.fromEntries(options.bundle.registered.map((name) => [name, `grafana-shared:${name}`])),
  };
  // `<` is escaped so no string in the data can close the script element.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<base href="/">
<title>Grafana (t3 plugin harness)</title>
<script>window.grafanaBootData = ${json(bootData)};</script>
<script type="systemjs-importmap">${json(importMap)}</script>
<script src="/harness/system.js"></script>
<script src="/harness/shared.js"></script>
<script src="/harness/amd.js"></script>
</head>
<body><div id="root"></div></body>
</html>`;
}

function sendFile(res: ServerResponse, file: string): void {
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export async function startServer(options: ServerOptions): Promise<HarnessServer> {
  const dist = options.dist;
  const own: OwnPlugins = {
    app: readPluginJson(dist, 'plugin.json'),
    panel: readPluginJson(dist, 'panel/plugin.json'),
    datasource: readPluginJson(dist, 'datasource/plugin.json'),
  };
  const routesByType = new Map([[own.datasource.id, own.datasource.routes ?? []]]);
  const proxyLog: ProxyLogEntry[] = [];
  const notFound: string[] = [];
  const appSettings = options.appSettings;
  const pluginPrefix = [`/public/plugins/${APP_ID}/`, PLUGIN_CDN_BASE];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = url.pathname;
    if (p.startsWith('/api/datasources/proxy/uid/')) {
      return proxyDatasourceRequest(req, res, url, {
        datasources: options.datasources,
        routesByType,
        log: proxyLog,
        timeoutMs: options.proxyTimeoutMs,
      });
    }
    if (p === `/api/plugins/${APP_ID}/settings`) {
      if (req.method === 'POST') {
        const body = (await readJson(req)) as Partial<AppSettings>;
        if (typeof body.enabled === 'boolean') {
          appSettings.enabled = body.enabled;
        }
        if (body.jsonData) {
          appSettings.jsonData = body.jsonData;
        }
        if (body.secureJsonData) {
          Object.assign(appSettings.secureJsonData, body.secureJsonData);
        }
      }
      const secureJsonFields = Object.fromEntries(Object.keys(appSettings.secureJsonData).map((k) => [k, true]));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(
        JSON.stringify({
          id: APP_ID,
          type: 'app',
          enabled: appSettings.enabled,
          pinned: appSettings.enabled,
          jsonData: appSettings.jsonData,
          secureJsonFields,
        })
      );
    }
    if (p === '/harness/shared.js') {
      return sendFile(res, options.bundle.file);
    }
    if (p === '/harness/system.js') {
      return sendFile(res, path.join(SYSTEMJS, 'system.js'));
    }
    if (p === '/harness/amd.js') {
      return sendFile(res, path.join(SYSTEMJS, 'extras/amd.js'));
    }
    const prefix = pluginPrefix.find((base) => p.startsWith(base));
    if (prefix !== undefined) {
      const file = path.resolve(dist, decodeURIComponent(p.slice(prefix.length)));
      if (file.startsWith(dist + path.sep) && existsSync(file) && statSync(file).isFile()) {
        return sendFile(res, file);
      }
    } else if (p === '/' || p.startsWith('/a/') || p.startsWith('/d/')) {
      // Grafana's single-page routes all get the same shell (boot data as of this request); the
      // client-side router takes it from there.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(pageShell(options, own));
    }
    const coreAsset = coreAssetFile(ROOT, p);
    if (coreAsset) {
      return sendFile(res, coreAsset);
    }
    // Browsers ask for a favicon on their own; Grafana has one, so answering it keeps the 404 list meaningful.
    if (p === '/favicon.ico') {
      return sendFile(res, path.join(dist, 'img/logo.svg'));
    }
    notFound.push(p);
    res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Not found' }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
      }
      res.end(JSON.stringify({ message: (error as Error).message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, proxyLog, notFound, appSettings };
}

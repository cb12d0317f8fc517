/**
 * Stand-in for Grafana's data proxy (`/api/datasources/proxy/uid/<uid>/<path>`). For a plugin datasource
 * it applies the plugin.json `routes` as Grafana does: the first route whose `path` prefixes the request
 * path, its `url` and `headers` rendered from the datasource's jsonData and secureJsonData — the secrets
 * live only here, in the Node process, never in the page. Other datasources (Prometheus, access: proxy)
 * are forwarded to their `url`. The browser's cookies and Authorization header are dropped, as Grafana does.
 * Grafana's answers are kept too: an upstream 401 becomes a 400 whose body is only the text
 * "Authentication to data source failed" (the upstream's body is lost), an unreachable upstream a 502
 * and one that does not answer within the proxy's timeout a 504, both with empty bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HarnessDatasource {
  uid: string;
  name: string;
  type: string;
  /** For route-less datasources: where the proxy forwards. */
  url?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
  isDefault?: boolean;
}

export interface PluginRoute {
  path: string;
  url?: string;
  headers?: Array<{ name: string; content: string }>;
}

/** Grafana's data proxy's body for an upstream 401 (pkg/api/pluginproxy, "convert to 400"). */
const PROXY_AUTH_FAILED = 'Authentication to data source failed';

interface ProxyOptions {
  datasources: HarnessDatasource[];
  routesByType: Map<string, PluginRoute[]>;
  log: ProxyLogEntry[];
  timeoutMs: number;
}

export interface ProxyLogEntry {
  uid: string;
  method: string;
  path: string;
  target: string;
  status: number;
  /** Names of the headers the route injected (never their values). */
  injected: string[];
}

/** Renders Grafana's route templates: `{{ .JsonData.key }}` and `{{ .SecureJsonData.key }}`. */
function renderRouteTemplate(template: string, ds: HarnessDatasource): string {
  return template.replace(/\{\{\s*\.(\w+)\.(\w+)\s*\}\}/g, (_match, scope: string, key: string) => {
    if (scope === 'JsonData') {
      return String(ds.jsonData?.[key] ?? '');
    }
    if (scope === 'SecureJsonData') {
      return ds.secureJsonData?.[key] ?? '';
    }
    throw new Error(`route template uses .${scope}, which the data proxy stand-in does not provide`);
  });
}

function joinUrl(base: string, rest: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${rest.replace(/^\/+/, '')}`;
  return url;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? Buffer.concat(chunks) : undefined;
}

export async function proxyDatasourceRequest(
  req: IncomingMessage,
  res: ServerResponse,
  incoming: URL,
  { datasources, routesByType, log, timeoutMs }: ProxyOptions
): Promise<void> {
  const match = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/?(.*)$/.exec(incoming.pathname)!;
  const [, uid, rest = ''] = match;
  const ds = datasources.find((d) => d.uid === uid);
  const reply = (status: number, message: string) => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message }));
    log.push({ uid: uid!, method: req.method!, path: rest, target: '', status, injected: [] });
  };
  if (!ds) {
    return reply(404, `Data source with uid ${uid} not found`);
  }

  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (['cookie', 'authorization', 'host', 'connection', 'content-length'].includes(name)) {
      continue;
    }
    if (typeof value === 'string') {
      headers.set(name, value);
    }
  }
  let target: URL;
  const injected: string[] = [];
  try {
    const route = (routesByType.get(ds.type) ?? []).find((r) => rest.startsWith(r.path));
    if (route) {
      if (!route.url) {
        return reply(502, `route ${route.path} has no url`);
      }
      const base = renderRouteTemplate(route.url, ds);
      if (!base) {
        return reply(502, `datasource ${uid}: route ${route.path} url renders empty (jsonData missing?)`);
      }
      target = joinUrl(base, rest.slice(route.path.length));
      for (const header of route.headers ?? []) {
        headers.set(header.name, renderRouteTemplate(header.content, ds));
        injected.push(header.name);
      }
    } else if (ds.url) {
      target = joinUrl(ds.url, rest);
    } else {
      return reply(404, `datasource ${uid} has no route for /${rest} and no url`);
    }
  } catch (error) {
    return reply(500, (error as Error).message);
  }
  target.search = incoming.search;

  const answer = (status: number, contentType: string | null, payload: Buffer | string) => {
    res.writeHead(status, contentType ? { 'Content-Type': contentType } : {}).end(payload);
    log.push({ uid: uid!, method: req.method!, path: rest, target: target.href, status, injected });
  };
  let upstream: Response;
  let payload: Buffer;
  try {
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: body && new Uint8Array(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    payload = Buffer.from(await upstream.arrayBuffer());
  } catch (error) {
    // Grafana's reverse proxy: 504 when the upstream timed out, 502 when it could not be reached.
    return answer((error as Error).name === 'TimeoutError' ? 504 : 502, null, '');
  }
  if (upstream.status === 401) {
    return answer(400, 'text/plain; charset=utf-8', PROXY_AUTH_FAILED);
  }
  answer(upstream.status, upstream.headers.get('content-type') ?? 'application/octet-stream', payload);
}

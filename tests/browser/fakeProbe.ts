/**
 * A stand-in for the probe's HTTP API on 127.0.0.1 (port from the OS) whose answers a test scripts per
 * path: any status, content type and body, or no answer at all (a hung probe). For hostile-data tests
 * and benchmarks that need answers a real probe would not give on demand. Well-formed answers come from
 * the contract's typed fakes (src/shared/probe-api/fakes.ts: `fakeRoutes`, `fakeIncidentsAnswer`, …).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAnswer =
  | { status?: number; contentType?: string; body: string | object }
  /** Keep the request open until the server closes: a probe that never answers. */
  | 'hang';

export interface FakeProbe {
  url: string;
  /** Paths asked for, in order (without the query string). */
  asked: string[];
  /** Replaces the answer for a path (e.g. `/api/v1/incidents`); unknown paths get 404 `{error}`. */
  answer(path: string, answer: FakeAnswer): void;
  close(): Promise<void>;
}

export async function startFakeProbe(answers: Record<string, FakeAnswer> = {}): Promise<FakeProbe> {
  const table = new Map(Object.entries(answers));
  const asked: string[] = [];
  const hung = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://probe.invalid').pathname;
    asked.push(path);
    const a: FakeAnswer = table.get(path) ?? { status: 404, body: { error: `no route ${path}` } };
    if (a === 'hang') {
      hung.add(res);
      return;
    }
    const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    res.writeHead(a.status ?? 200, { 'Content-Type': a.contentType ?? 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    answer: (path, answer) => table.set(path, answer),
    async close() {
      for (const res of hung) {
        res.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

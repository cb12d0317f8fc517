/**
 * Reading a running probe the way its users do: the JSON API, read with the contract's readers
 * (src/shared/probe-api) as the plugin reads it, and /metrics. Every wait is bounded.
 */
import { waitFor, sleep } from '../wait';
import { getJson, metricValue } from './probe-http';
import type { Incident, Verdict } from '../../src/attribution';
import { readIncidents, readLegs, readVerdict, type LegRead } from '../../src/shared/probe-api';

export class ProbeClient {
  constructor(
    public address: string,
    private readonly legNames: readonly string[] = ['cloudflare', 'internal', 't3serve']
  ) {}

  private get(path: string): Promise<unknown> {
    return getJson<unknown>(`http://${this.address}${path}`);
  }

  async legs(): Promise<LegRead[]> {
    return readLegs(await this.get('/api/v1/legs')).legs;
  }

  async allConnected(): Promise<boolean> {
    const legs = await this.legs();
    return legs.length === this.legNames.length && legs.every((l) => l.connected);
  }

  async incidents(from: number, to = Date.now()): Promise<Incident[]> {
    return readIncidents(await this.get(`/api/v1/incidents?from=${from}&to=${to}`)).incidents;
  }

  /** The verdict for the window; with `user`, for that user's report (their own instance included). */
  async attribution(from: number, to: number, user?: string): Promise<Verdict> {
    const forUser = user === undefined ? '' : `&user=${encodeURIComponent(user)}`;
    return readVerdict(await this.get(`/api/v1/attribution?from=${from}&to=${to}${forUser}`));
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://${this.address}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  }

  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    return metricValue(await this.metrics(), name, labels);
  }

  /** Every leg up and no incident open, then a moment of quiet: the state a fault must start from. */
  async settle(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      async () =>
        (await this.allConnected()) && (await this.incidents(Date.now() - 60_000)).every((i) => i.end !== null),
      { timeoutMs, intervalMs: 200, what: 'all legs connected and no incident open' }
    );
    await sleep(1_500);
  }

  /** The incidents that started since `from`, once at least one exists and all of them have closed. */
  closedIncidents(from: number, timeoutMs = 30_000): Promise<Incident[]> {
    return waitFor(
      async () => {
        const all = await this.incidents(from);
        return all.length > 0 && all.every((i) => i.end !== null) ? all : null;
      },
      { timeoutMs, intervalMs: 200, what: 'an incident that opened and closed' }
    );
  }
}

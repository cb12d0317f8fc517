/** Reading a running probe the way its users do: the JSON API and /metrics. Every wait is bounded. */
import { waitFor, sleep } from '../lab/wait';
import { getJson, metricValue } from './stack';
import type { Incident, Verdict } from '../../src/attribution';

export interface LegState {
  name: string;
  connected: boolean;
}

export class ProbeClient {
  constructor(
    public address: string,
    private readonly legNames: readonly string[] = ['cloudflare', 'internal', 't3serve']
  ) {}

  get<T>(path: string): Promise<T> {
    return getJson<T>(`http://${this.address}${path}`);
  }

  async legs(): Promise<LegState[]> {
    return (await this.get<{ legs: LegState[] }>('/api/v1/legs')).legs;
  }

  async allConnected(): Promise<boolean> {
    const legs = await this.legs();
    return legs.length === this.legNames.length && legs.every((l) => l.connected);
  }

  async incidents(from: number, to = Date.now()): Promise<Incident[]> {
    return (await this.get<{ incidents: Incident[] }>(`/api/v1/incidents?from=${from}&to=${to}`)).incidents;
  }

  attribution(from: number, to: number): Promise<Verdict> {
    return this.get<Verdict>(`/api/v1/attribution?from=${from}&to=${to}`);
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

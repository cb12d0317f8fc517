// The tcp leg: a connect every interval with a timeout, closed at once (the traefik and devvm-net legs).
// An established connection is healthy; a refusal, reset, DNS failure or a connect that does not complete
// in time is a failure. It proves the network and a listener up to the target host, nothing behind it.
import net from 'node:net';
import type { StallClock } from '../selfmon.js';
import { LegBase, type LegHooks } from './leg.js';
import { reasonFromError, timeoutError } from './reasons.js';
import type { LegKind } from './registry.js';
import { readTcpLeg, TCP_KEYS, TCP_SCHEMES, type TcpLegConfig } from './tcp-config.js';
import { Watchdog } from './watchdog.js';

/** Resolves with the connect's latency (monotonic ms) once established, then closes; rejects as Node reports. */
function connectOnce(cfg: TcpLegConfig, clock: StallClock): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = clock.mono();
    const socket = net.connect({ host: cfg.host, port: cfg.port });
    const watchdog = new Watchdog(cfg.timeoutMs, clock, () =>
      socket.destroy(timeoutError(`not connected within ${cfg.timeoutMs} ms`))
    );
    socket.once('connect', () => {
      watchdog.stop();
      const latency = clock.mono() - started;
      // Nothing was read or written: the kernel closes with a FIN, as a client that changed its mind.
      socket.destroy();
      resolve(latency);
    });
    socket.once('error', (err) => {
      watchdog.stop();
      reject(err);
    });
    watchdog.start();
  });
}

export class TcpLeg extends LegBase {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly cfg: TcpLegConfig,
    private readonly clock: StallClock,
    hooks: LegHooks
  ) {
    super(cfg.name, cfg.type, cfg.segments, hooks);
  }

  start(): void {
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer);
    }
    await this.inFlight?.catch(() => undefined);
  }

  /** One extra connect now; it does not change the leg's state (the regular schedule does that). */
  async crossCheck(): Promise<number | null> {
    if (!this.connected) {
      return null;
    }
    return connectOnce(this.cfg, this.clock).catch(() => null);
  }

  private async tick(): Promise<void> {
    if (this.stopped) {
      return;
    }
    const started = this.clock.mono();
    this.attempting();
    const attempt = connectOnce(this.cfg, this.clock);
    this.inFlight = attempt;
    try {
      const latencyMs = await attempt;
      if (this.stopped) {
        return;
      }
      this.healthy();
      // A connect the probe itself stalled through measures the probe, not the path.
      if (this.clock.stalledMs(started, this.clock.mono()) === 0) {
        this.rtt(latencyMs);
      }
    } catch (err) {
      if (this.stopped) {
        return;
      }
      // Every failure is of the connect: a timeout is the handshake's.
      this.failed(reasonFromError(err, 'connect'), (err as Error).message);
    } finally {
      this.inFlight = null;
    }
    // Keep the cadence: the next connect is due one interval after this one started.
    const wait = Math.max(0, this.cfg.intervalMs - (this.clock.mono() - started));
    this.timer = setTimeout(() => void this.tick(), wait);
  }
}

/** The tcp type's entry in the registry (legs/registry.ts). */
export const tcpLegType: LegKind<TcpLegConfig> = {
  keys: TCP_KEYS,
  schemes: TCP_SCHEMES,
  read: readTcpLeg,
  warnings: () => [],
  create: (cfg, { clock, hooks }) => new TcpLeg(cfg, clock, hooks),
};

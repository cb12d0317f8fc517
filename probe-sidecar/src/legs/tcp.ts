// The tcp leg: a connect every interval with a timeout, closed at once (the traefik and devvm-net legs).
// An established connection is healthy; a refusal, reset, DNS failure or a connect that does not complete
// in time is a failure. It proves the network and a listener up to the target host, nothing behind it.
import net from 'node:net';
import type { StallClock } from '../selfmon.js';
import { CheckLeg, type CheckOutcome } from './check-leg.js';
import type { LegHooks } from './leg.js';
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

export class TcpLeg extends CheckLeg {
  constructor(
    private readonly cfg: TcpLegConfig,
    clock: StallClock,
    hooks: LegHooks
  ) {
    super(cfg, clock, hooks);
  }

  protected async check(): Promise<CheckOutcome> {
    try {
      return { ok: true, latencyMs: await connectOnce(this.cfg, this.clock) };
    } catch (err) {
      // Every failure is of the connect: a timeout is the handshake's.
      return { ok: false, reason: reasonFromError(err, 'connect'), detail: (err as Error).message };
    }
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

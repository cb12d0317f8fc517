/**
 * The lab: a stand-in t3 server and one relay process per path segment, wired like the runbook's path,
 * on ephemeral 127.0.0.1 ports (or fixed ones from `basePort`, on `host`: the compose demo). Faults are
 * real: a frozen hop is a stopped process, a killed hop closes real sockets.
 *
 *   cloudflare leg  ws://127.0.0.1:<wan>/ws      wan → cf-edge → tunnel → traefik → dispatch → devvm-net → serve
 *   internal leg    ws://127.0.0.1:<traefik>/ws                        traefik → dispatch → devvm-net → serve
 *   t3serve leg     http://127.0.0.1:<devvm-net>/.well-known/t3/environment            devvm-net → serve
 *
 * and, with `finer` in probeConfig(), the finer legs (cf-edge answers the trace itself, as Cloudflare does):
 *   edge leg        http://127.0.0.1:<wan>/cdn-cgi/trace                                  wan → cf-edge
 *   traefik leg     tcp://127.0.0.1:<traefik>              a connect to the traefik relay, closed at once
 *   devvm-net leg   tcp://127.0.0.1:<devvm-net>          a connect to the devvm-net relay, closed at once
 *
 * With `users`, each user has their own instance (`serve.<user>`, a stand-in of its own) and the devvm-net
 * relay routes a request with `?user=<name>` to it (user-instances.ts); a leg `serve-<user>` per user checks
 * it through devvm-net, as t3serve checks the shared serve.
 *
 * The stand-in plays a current t3 server by default (`orchestrationProtocol=2` required on `/ws`), or an
 * older one with `protocolVersion: null`. The leg URLs stay plain: a client adds the version it reads from
 * the descriptor (`clientUrl()` does it for tests that dial by hand).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBasePort, checkHost, dialHost, urlHost } from './addresses';
import { LabChild, REPO_ROOT } from './child';
import { NetnsHop, type BlockMode } from './netns';
import { buildProbeConfig, type LegUrls, type ProbeConfigObject, type ProbeConfigOptions } from './probe-config';
import { ServeControl } from './serve-control';
import { CURRENT_PROTOCOL_VERSION, DEFAULT_TOKEN, type AuthMode, type TokenChange } from './t3-standin';
import { t3Url } from './test-client';
import { checkUsers, instanceSegment, userLegUrl, userOfSegment, type InstanceSegment } from './user-instances';
import { formatRoutes } from './route';

export const HOPS = ['wan', 'cf-edge', 'tunnel', 'traefik', 'dispatch', 'devvm-net'] as const;
export type HopName = (typeof HOPS)[number];
export type SegmentName = HopName | 'serve';
/** What a fault can target: a segment's process, or one user's own instance (`serve.<user>`). */
export type LabSegment = SegmentName | InstanceSegment;

/** How many ports a fixed-port lab takes: one per hop, then serve. */
export const PORT_SPAN = HOPS.length + 1;

/** How many ports a fixed-port lab with `users` takes: PORT_SPAN, then one per user's instance. */
export function portSpan(users: readonly string[] = []): number {
  return PORT_SPAN + users.length;
}

/** The fixed ports from `basePort`: hop i of HOPS on basePort + i, serve on basePort + HOPS.length. */
export function fixedPorts(basePort: number): Record<SegmentName, number> {
  const ports = { serve: basePort + HOPS.length } as Record<SegmentName, number>;
  HOPS.forEach((hop, i) => (ports[hop] = basePort + i));
  return ports;
}

/** Where each hop forwards to. */
const NEXT: Record<HopName, SegmentName> = {
  wan: 'cf-edge',
  'cf-edge': 'tunnel',
  tunnel: 'traefik',
  traefik: 'dispatch',
  dispatch: 'devvm-net',
  'devvm-net': 'serve',
};

export interface LabOptions {
  /** Stand-in WebSocket auth; `ticket` makes probeConfig() add a token file to the websocket legs. */
  auth?: AuthMode;
  token?: string;
  ticketTtlMs?: number;
  /**
   * The stand-in's orchestration protocol: a current server speaking this version (default
   * CURRENT_PROTOCOL_VERSION), or `null` for an older server (no version in its descriptor, no check).
   */
  protocolVersion?: number | null;
  pongDelayMs?: number;
  /** Per child process. Default 15 s. */
  readyTimeoutMs?: number;
  /**
   * Runs this hop inside network namespaces (netns.ts) so block()/unblock() can add nftables faults to it.
   * Needs root, `ip` and `nft`: check `NetnsHop.available()` first.
   */
  netns?: HopName;
  /**
   * The IP address every lab process listens on (default 127.0.0.1; `0.0.0.0` for the compose demo).
   * Hops dial the next segment on the same address, or on loopback when it is a wildcard.
   */
  host?: string;
  /**
   * Fixed ports (see fixedPorts) instead of ephemeral ones; user i of `users` on basePort + PORT_SPAN + i.
   * Control ports are always ephemeral.
   */
  basePort?: number;
  /**
   * Users, each with their own serve instance behind dispatch (user-instances.ts). Default none: one serve.
   * The start options (auth, token, version, pong delay) apply to every instance; the settings and token
   * routes of the Lab (setToken, setForbid, …) change the shared serve only.
   */
  users?: string[];
}

const SCRIPTS = {
  hop: join(REPO_ROOT, 'lab/hop.ts'),
  standin: join(REPO_ROOT, 'lab/t3-standin.ts'),
};

export class Lab {
  /** Listening port of each segment's process. */
  readonly ports = {} as Record<SegmentName, number>;
  readonly legUrls: LegUrls;
  readonly serve: ServeControl;
  /** Each user's own instance (LabOptions.users), in order. */
  readonly users = new Map<string, ServeControl>();
  /** user → the URL of their instance's check through devvm-net (the `serve-<user>` leg's). */
  readonly userLegUrls: Record<string, string> = {};
  /** A scratch directory (token file, probe data); removed by stop(). */
  readonly dir: string;
  readonly tokenFile: string;

  private readonly children: Map<LabSegment, LabChild>;
  private readonly netnsHop: NetnsHop | undefined;
  private stopped = false;
  /** The stand-in's protocol version now (start option, or as set since; a restart resets it). */
  private version: number | null;

  private constructor(
    private readonly opts: LabOptions,
    ports: Record<SegmentName, number>,
    children: Map<LabSegment, LabChild>,
    netnsHop: NetnsHop | undefined,
    controlPort: number,
    dir: string,
    users: ReadonlyArray<{ user: string; port: number; controlPort: number }>
  ) {
    Object.assign(this.ports, ports);
    this.children = children;
    this.netnsHop = netnsHop;
    this.dir = dir;
    this.tokenFile = join(dir, 'token');
    this.version = startVersion(opts);
    this.writeTokenFile(opts.token ?? DEFAULT_TOKEN);
    const host = urlHost(dialHost(opts.host ?? '127.0.0.1'));
    this.legUrls = {
      cloudflare: `ws://${host}:${ports.wan}/ws`,
      internal: `ws://${host}:${ports.traefik}/ws`,
      t3serve: `http://${host}:${ports['devvm-net']}/.well-known/t3/environment`,
      // The finer legs (probe-config.ts FINER_LEGS): cf-edge answers the trace itself (edge-trace.ts).
      edge: `http://${host}:${ports.wan}/cdn-cgi/trace`,
      traefik: `tcp://${host}:${ports.traefik}`,
      'devvm-net': `tcp://${host}:${ports['devvm-net']}`,
    };
    this.serve = new ServeControl({
      baseUrl: `http://${host}:${ports.serve}`,
      port: ports.serve,
      controlPort,
      token: opts.token ?? DEFAULT_TOKEN,
      freeze: () => this.freeze('serve'),
      thaw: () => this.thaw('serve'),
    });
    for (const { user, port, controlPort: userControl } of users) {
      const segment = instanceSegment(user);
      this.users.set(
        user,
        new ServeControl({
          baseUrl: `http://${host}:${port}`,
          port,
          controlPort: userControl,
          token: opts.token ?? DEFAULT_TOKEN,
          freeze: () => this.freeze(segment),
          thaw: () => this.thaw(segment),
        })
      );
      this.userLegUrls[user] = userLegUrl(`http://${host}:${ports['devvm-net']}`, user);
    }
  }

  /** Starts the stand-in, then the hops from serve outwards (each needs its target's port). */
  static async start(opts: LabOptions = {}): Promise<Lab> {
    if (opts.netns !== undefined && !HOPS.includes(opts.netns)) {
      throw new Error(`Lab: netns must name a hop (${HOPS.join(', ')}), got ${JSON.stringify(opts.netns)}`);
    }
    const v = opts.protocolVersion;
    if (v !== undefined && v !== null && !(Number.isSafeInteger(v) && v >= 1)) {
      throw new Error(`Lab: protocolVersion must be a positive integer or null, got ${JSON.stringify(v)}`);
    }
    const host = checkHost(opts.host ?? '127.0.0.1', 'Lab: host');
    const userNames = checkUsers(opts.users ?? [], 'Lab: users');
    if (userNames.length > 0 && opts.netns === 'devvm-net') {
      throw new Error("Lab: users need the devvm-net relay's routing, which a netns hop does not do");
    }
    const base =
      opts.basePort === undefined ? undefined : checkBasePort(opts.basePort, portSpan(userNames), 'Lab: basePort');
    const fixed = base === undefined ? undefined : fixedPorts(base);
    const children = new Map<LabSegment, LabChild>();
    const ports = {} as Record<SegmentName, number>;
    let netnsHop: NetnsHop | undefined;
    const dir = mkdtempSync(join(tmpdir(), 't3-lab-'));
    try {
      const serve = await startServe(opts, fixed?.serve ?? 0, 0, opts.token ?? DEFAULT_TOKEN);
      children.set('serve', serve.child);
      ports.serve = serve.port;
      const users: Array<{ user: string; port: number; controlPort: number }> = [];
      for (const [i, user] of userNames.entries()) {
        const port = base === undefined ? 0 : base + PORT_SPAN + i;
        const s = await startServe(opts, port, 0, opts.token ?? DEFAULT_TOKEN, instanceSegment(user));
        children.set(instanceSegment(user), s.child);
        users.push({ user, port: s.port, controlPort: s.controlPort });
      }
      const userPorts = users.map((u) => [u.user, u.port] as const);
      for (const hop of [...HOPS].reverse()) {
        if (hop === opts.netns) {
          const target = { host: dialHost(host), port: ports[NEXT[hop]] };
          const listen = `${host}:${fixed?.[hop] ?? 0}`;
          netnsHop = await NetnsHop.start({ target, listen, readyTimeoutMs: opts.readyTimeoutMs });
          ports[hop] = netnsHop.port;
          continue;
        }
        const { child, port } = await startHop(
          hop,
          ports[NEXT[hop]],
          fixed?.[hop] ?? 0,
          opts,
          routesOf(hop, host, userPorts)
        );
        children.set(hop, child);
        ports[hop] = port;
      }
      return new Lab(opts, ports, children, netnsHop, serve.controlPort, dir, users);
    } catch (err) {
      await Promise.allSettled([...children.values()].map((c) => c.kill()));
      await netnsHop?.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** A probe config for this lab's legs (see probe-config.ts); adds the token file when auth is `ticket`. */
  probeConfig(overrides: ProbeConfigOptions = {}): ProbeConfigObject {
    const auth = this.opts.auth === 'ticket' ? { tokenFile: this.tokenFile } : {};
    const dataDir = join(this.dir, 'probe-data');
    return buildProbeConfig(this.legUrls, { dataDir, ...auth, userUrls: this.userLegUrls, ...overrides });
  }

  /** Writes probeConfig(overrides) to a YAML file in the lab's directory and returns its path. */
  writeProbeConfig(overrides: ProbeConfigOptions = {}, name = 'probe.yaml'): string {
    const file = join(this.dir, name);
    writeFileSync(file, `${JSON.stringify(this.probeConfig(overrides), null, 2)}\n`);
    return file;
  }

  /** The stand-in's orchestration protocol version now; null while it plays an older server. */
  get protocolVersion(): number | null {
    return this.version;
  }

  /**
   * A leg's URL (or any `/ws` URL of the lab) as a current t3 client dials it: with
   * `orchestrationProtocol=<the stand-in's version now>` (nothing for an older server) and `query`.
   */
  clientUrl(leg: 'cloudflare' | 'internal' | string, query: Record<string, string> = {}): string {
    const url = leg === 'cloudflare' || leg === 'internal' ? this.legUrls[leg] : leg;
    return t3Url(url, this.version, query);
  }

  /**
   * The stand-in accepts only `token` from now on: the old token and its tickets are revoked at once,
   * sockets already open stay open. The probe's token file is not touched (see writeTokenFile). The token
   * outlives a restart of serve, as the real server's sessions do.
   */
  async setToken(token: string): Promise<TokenChange> {
    return this.serve.setToken(token);
  }

  /** Revokes the token the probe holds: the stand-in accepts a fresh random one instead, which it returns. */
  async revokeToken(): Promise<string> {
    const fresh = `lab-${randomBytes(12).toString('base64url')}`;
    await this.setToken(fresh);
    return fresh;
  }

  /** Writes the probe's token file (the probe reads it on its next connect), atomically as a secret mount does. */
  writeTokenFile(token: string): void {
    const next = `${this.tokenFile}.next`;
    writeFileSync(next, `${token}\n`, { mode: 0o600 });
    renameSync(next, this.tokenFile);
  }

  /** Whether the stand-in authenticates /ws (auth `ticket`), as every real t3 server does. */
  get authenticates(): boolean {
    return this.opts.auth === 'ticket';
  }

  /** While on, the stand-in answers every upgrade and ticket request 403 `forbidden`. */
  async setForbid(forbid: boolean): Promise<void> {
    await this.serve.setForbid(forbid);
  }

  /** Plays a current server speaking `version`, or an older one with `null`, from now on. */
  async setProtocolVersion(version: number | null): Promise<void> {
    await this.serve.setProtocolVersion(version);
    this.version = version;
  }

  /** nftables on the segment started with `netns`: `drop` = black hole, `reject` = TCP resets. */
  async block(segment: HopName, mode: BlockMode): Promise<void> {
    await this.netns(segment).block(mode);
  }

  async unblock(segment: HopName): Promise<void> {
    await this.netns(segment).unblock();
  }

  /** SIGSTOP: the process stops reading; its connections stay open and go silent. */
  freeze(segment: LabSegment): void {
    this.child(segment).signal('SIGSTOP');
  }

  thaw(segment: LabSegment): void {
    this.child(segment).signal('SIGCONT');
  }

  /** The box freezing (devvm under memory/IO pressure): every serve instance, shared and users', at once. */
  freezeBox(): void {
    this.instances().forEach((s) => this.freeze(s));
  }

  thawBox(): void {
    this.instances().forEach((s) => this.thaw(s));
  }

  /** SIGKILL and wait until the process is gone: its connections are closed or reset by the kernel. */
  async kill(segment: LabSegment): Promise<void> {
    await this.child(segment).kill();
  }

  /** Kills the segment's process if it still runs, then starts a fresh one on the same port(s). */
  async restart(segment: LabSegment): Promise<void> {
    this.assertRunning();
    if (segment === this.opts.netns) {
      return this.netns(segment).restartFar();
    }
    await this.child(segment).kill();
    const user = userOfSegment(segment);
    const instance = user === undefined ? undefined : this.users.get(user);
    if (instance) {
      const s = await startServe(this.opts, instance.port, instance.controlPort, instance.token, segment);
      this.children.set(segment, s.child);
    } else if (segment === 'serve') {
      const s = await startServe(this.opts, this.ports.serve, this.serve.controlPort, this.serve.token);
      this.children.set('serve', s.child);
      this.version = startVersion(this.opts);
    } else {
      const hop = segment as HopName;
      const userPorts = [...this.users].map(([user, s]) => [user, s.port] as const);
      const routes = routesOf(hop, this.opts.host ?? '127.0.0.1', userPorts);
      const { child } = await startHop(hop, this.ports[NEXT[hop]], this.ports[hop], this.opts, routes);
      this.children.set(hop, child);
    }
  }

  /**
   * Undoes whatever a fault left behind: thaws every segment, restarts dead ones, lifts the netns block and
   * the stand-in's delays, silence and forbid, puts its protocol version back to the start option, and the
   * start token back on both sides (the stand-in and the token file). For a player that goes on after a
   * scenario failed half-way.
   */
  async heal(): Promise<void> {
    for (const segment of [...this.instances(), ...HOPS]) {
      if (this.alive(segment)) {
        this.thaw(segment);
      } else {
        await this.restart(segment);
      }
    }
    if (this.opts.netns) {
      await this.unblock(this.opts.netns);
    }
    const version = startVersion(this.opts);
    for (const instance of [this.serve, ...this.users.values()]) {
      await instance.update({
        pongDelayMs: this.opts.pongDelayMs ?? 0,
        httpDelayMs: 0,
        silent: false,
        forbid: false,
        protocolVersion: version,
      });
    }
    this.version = version;
    const token = this.opts.token ?? DEFAULT_TOKEN;
    await this.setToken(token);
    this.writeTokenFile(token);
  }

  alive(segment: LabSegment): boolean {
    return this.child(segment).alive();
  }

  /** The shared serve, then each user's instance. */
  private instances(): LabSegment[] {
    return ['serve', ...[...this.users.keys()].map(instanceSegment)];
  }

  /** Process ids of every lab process now running (for leak checks). */
  pids(): number[] {
    const own = [...this.children.values()].filter((c) => c.alive()).map((c) => c.pid);
    return [...own, ...(this.netnsHop?.pids() ?? [])];
  }

  /** Kills every lab process group and removes the scratch directory. Safe to call more than once. */
  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    const results = await Promise.allSettled([
      ...[...this.children.values()].map((c) => c.kill()),
      ...(this.netnsHop ? [this.netnsHop.stop()] : []),
    ]);
    rmSync(this.dir, { recursive: true, force: true });
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) {
      throw new Error(`lab stop: ${failed.map((f) => String(f.reason)).join('; ')}`);
    }
  }

  /** The segment's own process; for the netns segment, the hop inside the far namespace. */
  private child(segment: LabSegment): LabChild {
    this.assertRunning();
    const c = segment === this.opts.netns ? this.netnsHop?.far : this.children.get(segment);
    if (!c) {
      const known = ['serve', ...HOPS, ...[...this.users.keys()].map(instanceSegment)].join(', ');
      throw new Error(`unknown lab segment ${JSON.stringify(segment)} (known: ${known})`);
    }
    return c;
  }

  private netns(segment: HopName): NetnsHop {
    this.assertRunning();
    if (!this.netnsHop || segment !== this.opts.netns) {
      throw new Error(
        `segment ${JSON.stringify(segment)} does not run in a network namespace (start the lab with netns: '${segment}')`
      );
    }
    return this.netnsHop;
  }

  private assertRunning(): void {
    if (this.stopped) {
      throw new Error('the lab has been stopped');
    }
  }
}

function startVersion(opts: LabOptions): number | null {
  return opts.protocolVersion === undefined ? CURRENT_PROTOCOL_VERSION : opts.protocolVersion;
}

async function startServe(opts: LabOptions, port: number, controlPort: number, token: string, name = 'serve') {
  const args = ['--host', opts.host ?? '127.0.0.1', '--port', String(port), '--control-port', String(controlPort)];
  args.push('--auth', opts.auth ?? 'none', '--token', token);
  const version = startVersion(opts);
  args.push('--protocol-version', version === null ? 'none' : String(version));
  if (opts.ticketTtlMs !== undefined) {
    args.push('--ticket-ttl-ms', String(opts.ticketTtlMs));
  }
  if (opts.pongDelayMs !== undefined) {
    args.push('--pong-delay-ms', String(opts.pongDelayMs));
  }
  const { child, ready } = await LabChild.start({
    name,
    script: SCRIPTS.standin,
    args,
    readyTimeoutMs: opts.readyTimeoutMs,
  });
  return { child, port: ready.port, controlPort: Number(ready.controlPort) };
}

async function startHop(name: HopName, targetPort: number, port: number, opts: LabOptions, routes = '') {
  const host = opts.host ?? '127.0.0.1';
  const args = ['--name', name, '--listen', `${host}:${port}`, '--target', `${dialHost(host)}:${targetPort}`];
  if (name === 'cf-edge') {
    args.push('--answers', 'cdn-cgi-trace');
  }
  if (routes !== '') {
    args.push('--routes', routes);
  }
  const { child, ready } = await LabChild.start({
    name,
    script: SCRIPTS.hop,
    args,
    readyTimeoutMs: opts.readyTimeoutMs,
  });
  return { child, port: ready.port };
}

/** A hop's `--routes`: the relay in front of the instances (next segment serve) routes each user to theirs. */
function routesOf(hop: HopName, host: string, users: ReadonlyArray<readonly [string, number]>): string {
  if (NEXT[hop] !== 'serve') {
    return '';
  }
  return formatRoutes(new Map(users.map(([user, port]) => [user, `${dialHost(host)}:${port}`])));
}

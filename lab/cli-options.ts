/** The lab CLI's flags, parsed and checked up front: every bad value is an error naming its flag. */
import { checkBasePort, checkHost } from './addresses';
import { parseArgs } from './args';
import { HOPS, PORT_SPAN, type HopName } from './lab';
import { SCENARIOS, type Scenario } from './scenarios';
import { parseProtocolVersion, type AuthMode } from './t3-standin';

/** The quiet time before each scenario: long enough for a probe to connect and show a clean baseline. */
export const DEFAULT_GAP_MS = 20_000;

export interface PlayPlan {
  scenarios: readonly Scenario[];
  /** `demo` plays every scenario over and over; a single scenario plays once. */
  loop: boolean;
  gapMs: number;
}

interface CliOptions {
  auth?: AuthMode;
  token?: string;
  /** `--protocol-version N|none`: a current server speaking N, or an older one; absent = the stand-in's default. */
  protocolVersion?: number | null;
  netns?: HopName;
  host: string;
  basePort?: number;
  /** Where to write the probe config, with its heartbeat. */
  probeConfig?: { file: string; heartbeat: { interval: string; timeout: string } };
  play?: PlayPlan;
}

const SPEC = {
  auth: 'string',
  token: 'string',
  'protocol-version': 'string',
  netns: 'string',
  host: 'string',
  'base-port': 'int',
  play: 'string',
  'gap-ms': 'int',
  'probe-config': 'string',
  'heartbeat-interval': 'string',
  'heartbeat-timeout': 'string',
} as const;

export function parseCliOptions(argv: string[]): CliOptions {
  const args = parseArgs(argv, SPEC) as { [K in keyof typeof SPEC]?: (typeof SPEC)[K] extends 'int' ? number : string };
  const opts: CliOptions = { host: checkHost(args.host ?? '127.0.0.1', '--host'), token: args.token };
  if (args.auth !== undefined) {
    if (args.auth !== 'none' && args.auth !== 'ticket') {
      throw new Error(`--auth must be none or ticket, got ${JSON.stringify(args.auth)}`);
    }
    opts.auth = args.auth;
  }
  if (args['protocol-version'] !== undefined) {
    opts.protocolVersion = parseProtocolVersion(args['protocol-version'], '--protocol-version');
  }
  if (args.netns !== undefined) {
    if (!(HOPS as readonly string[]).includes(args.netns)) {
      throw new Error(`--netns must name a hop (${HOPS.join(', ')}), got ${JSON.stringify(args.netns)}`);
    }
    opts.netns = args.netns as HopName;
  }
  if (args['base-port'] !== undefined) {
    opts.basePort = checkBasePort(args['base-port'], PORT_SPAN, '--base-port');
  }
  if (args['probe-config'] !== undefined) {
    const heartbeat = { interval: args['heartbeat-interval'] ?? '500ms', timeout: args['heartbeat-timeout'] ?? '2s' };
    opts.probeConfig = { file: args['probe-config'], heartbeat };
  } else if (args['heartbeat-interval'] !== undefined || args['heartbeat-timeout'] !== undefined) {
    throw new Error('--heartbeat-interval and --heartbeat-timeout only apply to --probe-config');
  }
  if (args.play !== undefined) {
    opts.play = { ...playList(args.play), gapMs: args['gap-ms'] ?? DEFAULT_GAP_MS };
  } else if (args['gap-ms'] !== undefined) {
    throw new Error('--gap-ms only applies to --play');
  }
  return opts;
}

function playList(name: string): Omit<PlayPlan, 'gapMs'> {
  if (name === 'demo') {
    return { scenarios: SCENARIOS, loop: true };
  }
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) {
    const known = ['demo', ...SCENARIOS.map((s) => s.name)].join(', ');
    throw new Error(`--play must be demo or a scenario name (${known}), got ${JSON.stringify(name)}`);
  }
  return { scenarios: [scenario], loop: false };
}

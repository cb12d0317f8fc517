/** The lab CLI's fault commands: one per stdin line, parsed strictly so a typo is an error, not a no-op. */
import { HOPS, type HopName, type SegmentName } from './lab';
import { checkToken, parseProtocolVersion } from './t3-standin';

export type LabCommand =
  | { op: 'freeze' | 'thaw' | 'kill' | 'restart'; segment: SegmentName }
  | { op: 'block'; segment: HopName; mode: 'drop' | 'reject' }
  | { op: 'unblock'; segment: HopName }
  | { op: 'pong-delay'; ms: number }
  | { op: 'close-all'; code: number }
  | { op: 'token'; token: string }
  | { op: 'forbid'; on: boolean }
  | { op: 'protocol-version'; version: number | null }
  | { op: 'revoke-token' }
  | { op: 'silence' | 'resume' | 'state' }
  | { op: 'stop' };

const COMMAND_HELP =
  'freeze|thaw|kill|restart <segment> · block <hop> drop|reject · unblock <hop> · pong-delay <ms> · close-all <code> · token <token> · revoke-token · forbid on|off · protocol-version <n>|none · silence · resume · state · stop';

const SEGMENTS: readonly string[] = ['serve', ...HOPS];

export function parseCommand(line: string): LabCommand {
  const [op = '', ...args] = line.trim().split(/\s+/);
  const arity = (n: number): void => {
    if (args.length !== n) {
      throw new Error(`${op} takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length} (commands: ${COMMAND_HELP})`);
    }
  };
  const segment = (s: string | undefined, hopsOnly = false): string => {
    const known = hopsOnly ? HOPS : SEGMENTS;
    if (!s || !known.includes(s)) {
      throw new Error(`unknown ${hopsOnly ? 'hop' : 'segment'} ${JSON.stringify(s)} (known: ${known.join(', ')})`);
    }
    return s;
  };
  const int = (s: string | undefined, what: string): number => {
    if (!s || !/^[0-9]+$/.test(s)) {
      throw new Error(`${op}: ${what} must be a non-negative integer, got ${JSON.stringify(s)}`);
    }
    return Number(s);
  };
  switch (op) {
    case 'freeze':
    case 'thaw':
    case 'kill':
    case 'restart':
      arity(1);
      return { op, segment: segment(args[0]) as SegmentName };
    case 'block': {
      arity(2);
      const mode = args[1];
      if (mode !== 'drop' && mode !== 'reject') {
        throw new Error(`block: mode must be drop or reject, got ${JSON.stringify(mode)}`);
      }
      return { op, segment: segment(args[0], true) as HopName, mode };
    }
    case 'unblock':
      arity(1);
      return { op, segment: segment(args[0], true) as HopName };
    case 'pong-delay':
      arity(1);
      return { op, ms: int(args[0], 'ms') };
    case 'close-all':
      arity(1);
      return { op, code: int(args[0], 'code') };
    case 'token':
      arity(1);
      try {
        return { op, token: checkToken(args[0]) };
      } catch (err) {
        throw new Error(`token: ${(err as Error).message}`);
      }
    case 'forbid': {
      arity(1);
      if (args[0] !== 'on' && args[0] !== 'off') {
        throw new Error(`forbid: must be on or off, got ${JSON.stringify(args[0])}`);
      }
      return { op, on: args[0] === 'on' };
    }
    case 'protocol-version':
      arity(1);
      return { op, version: parseProtocolVersion(args[0] ?? '', 'protocol-version') };
    case 'revoke-token':
    case 'silence':
    case 'resume':
    case 'state':
    case 'stop':
      arity(0);
      return { op };
    default:
      throw new Error(`unknown command ${JSON.stringify(op)} (commands: ${COMMAND_HELP})`);
  }
}

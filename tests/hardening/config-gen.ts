/**
 * A seeded generator of malformed probe configs, each with the key its error must name (or null where no
 * key can be named: the document itself is broken). Kinds: wrong types, unknown keys, bad and too-long
 * durations, duplicate names, unknown segments, empty lists, huge values, deep nesting, non-UTF-8 bytes,
 * YAML alias bombs and documents that are not a mapping.
 */
import { stringify } from 'yaml';
import { int, pick, type Rng } from './seeded';

export interface BadConfig {
  kind: string;
  bytes: Buffer;
  /** The key path the error must start with; null: any `config error:` line will do. */
  key: string | null;
}

type Doc = Record<string, unknown> & { legs: Array<Record<string, unknown>> };

function base(): Doc {
  return {
    listen: '127.0.0.1:0',
    dataDir: './data',
    heartbeat: { interval: '10s', timeout: '20s' },
    reconnect: { initial: '3s', max: '16s' },
    retention: '30d',
    attribution: { rttStall: '2.5s', slack: '500ms' },
    legs: [
      {
        name: 'internal',
        type: 'websocket',
        url: 'ws://127.0.0.1:9/ws',
        protocol: 't3',
        segments: ['traefik', 'devvm-net', 'dispatch', 'serve'],
        heartbeat: { interval: '10s', timeout: '20s' },
        headers: { Host: 't3.example.com' },
      },
      {
        name: 't3serve',
        type: 'http',
        url: 'http://127.0.0.1:9/.well-known/t3/environment',
        interval: '10s',
        timeout: '5s',
        segments: ['devvm-net', 'serve'],
      },
    ],
  };
}

/** Sets `value` at a path like `legs[0].heartbeat.interval` (creating mappings on the way). */
function setAt(doc: Doc, path: string, value: unknown): void {
  const parts = path.split(/\.|(?=\[)/).map((p) => (p.startsWith('[') ? Number(p.slice(1, -1)) : p));
  let cur = doc as Record<string | number, unknown>;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part] as Record<string | number, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

const yaml = (doc: unknown): Buffer => Buffer.from(stringify(doc, { aliasDuplicateObjects: false }));

/** Values of the wrong type for a string, a duration, a list or a mapping field. */
const WRONG: Record<'string' | 'list' | 'map', unknown[]> = {
  string: [42, true, null, [], ['a'], { a: 1 }, 3.5, ''],
  list: [42, 'serve', true, { a: 1 }, null],
  map: [42, 'x', true, ['a'], null],
};

const TYPED_PATHS: Array<[string, keyof typeof WRONG]> = [
  ['listen', 'string'],
  ['dataDir', 'string'],
  ['retention', 'string'],
  ['heartbeat', 'map'],
  ['heartbeat.interval', 'string'],
  ['heartbeat.timeout', 'string'],
  ['reconnect', 'map'],
  ['reconnect.initial', 'string'],
  ['attribution', 'map'],
  ['attribution.slack', 'string'],
  ['legs', 'list'],
  ['legs[0]', 'map'],
  ['legs[0].name', 'string'],
  ['legs[0].type', 'string'],
  ['legs[0].url', 'string'],
  ['legs[0].protocol', 'string'],
  ['legs[0].segments', 'list'],
  ['legs[0].segments[1]', 'string'],
  ['legs[0].heartbeat', 'map'],
  ['legs[0].heartbeat.timeout', 'string'],
  ['legs[0].headers', 'map'],
  ['legs[0].headers.Host', 'string'],
  ['legs[1].interval', 'string'],
  ['legs[1].timeout', 'string'],
  ['legs[1].url', 'string'],
  ['api', 'map'],
  ['api.tokenFile', 'string'],
  ['segments', 'list'],
];

const DURATION_PATHS = [
  'heartbeat.interval',
  'heartbeat.timeout',
  'reconnect.initial',
  'reconnect.max',
  'attribution.rttStall',
  'attribution.slack',
  'legs[0].heartbeat.interval',
  'legs[0].heartbeat.timeout',
  'legs[1].interval',
  'legs[1].timeout',
];
const BAD_DURATIONS = [
  'x',
  '-1s',
  '0s',
  '0ms',
  '2x',
  '1.5.s',
  '10',
  '1e999s',
  '999999999999999999d',
  '2 s',
  'NaNms',
  'Infinitys',
  '∞s',
  'P1D',
  '1h30',
  's',
];
/** Valid durations, but longer than a timer can wait (setTimeout's 2^31 − 1 ms). */
const TOO_LONG = ['25d', '9999h', '1000000m'];

const CONTAINERS = ['', 'heartbeat', 'reconnect', 'attribution', 'legs[0]', 'legs[1]', 'legs[0].heartbeat', 'api'];

function deepMap(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) {
    v = { [`k${i}`]: v };
  }
  return v;
}

const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'legs: [*g]',
  '',
].join('\n');

type Gen = (r: Rng) => BadConfig;

const GENERATORS: Gen[] = [
  (r) => {
    const [path, type] = pick(r, TYPED_PATHS);
    const doc = base();
    // An empty header value is legal HTTP.
    const wrong = path.includes('headers.') ? WRONG[type].filter((v) => v !== '') : WRONG[type];
    setAt(doc, path, pick(r, wrong));
    return { kind: 'wrong type', bytes: yaml(doc), key: path };
  },
  (r) => {
    const container = pick(r, CONTAINERS);
    const key = pick(r, [
      'x',
      'Legs',
      'interval',
      'timeout',
      'protocol',
      'auth',
      'tokenEnv',
      `k${int(r, 0, 999)}`,
      'constructor',
    ]);
    const doc = base();
    // `interval` and `timeout` are fine on the http leg and in heartbeat; `protocol`/`auth` on the ws leg.
    const allowed: Record<string, string[]> = {
      heartbeat: ['interval', 'timeout'],
      'legs[0].heartbeat': ['interval', 'timeout'],
      'legs[0]': ['protocol', 'auth'],
      'legs[1]': ['interval', 'timeout'],
    };
    if (allowed[container]?.includes(key)) {
      return {
        kind: 'unknown key',
        bytes: Buffer.from(`__proto__: { legs: [] }\n${stringify(doc)}`),
        key: '__proto__',
      };
    }
    const path = container ? `${container}.${key}` : key;
    if (container === 'api') {
      doc.api = { [key]: 1 };
    } else {
      setAt(doc, path, 1);
    }
    return { kind: 'unknown key', bytes: yaml(doc), key: path };
  },
  (r) => {
    const path = pick(r, DURATION_PATHS);
    const doc = base();
    setAt(doc, path, pick(r, r() < 0.8 ? BAD_DURATIONS : TOO_LONG));
    return { kind: 'bad duration', bytes: yaml(doc), key: path };
  },
  (r) => {
    const doc = base();
    doc.legs[1]!.name = doc.legs[0]!.name;
    if (r() < 0.5) {
      doc.segments = [{ id: 'a' }, { id: 'b' }, { id: 'a' }];
      doc.legs.forEach((l) => (l.segments = ['a']));
      return { kind: 'duplicate segment id', bytes: yaml(doc), key: 'segments[2].id' };
    }
    return { kind: 'duplicate leg name', bytes: yaml(doc), key: 'legs[1].name' };
  },
  (r) => {
    const doc = base();
    const leg = int(r, 0, 1);
    const segs = doc.legs[leg]!.segments as string[];
    const at = int(r, 0, segs.length - 1);
    segs[at] = pick(r, ['moon', 'Serve', 'serve ', 'cf_edge', 'probe2', 'client\u0000']);
    return { kind: 'unknown segment', bytes: yaml(doc), key: `legs[${leg}].segments[${at}]` };
  },
  (r) => {
    const doc = base();
    const path = pick(r, ['legs', 'legs[0].segments', 'legs[1].segments', 'segments']);
    setAt(doc, path, []);
    return { kind: 'empty list', bytes: yaml(doc), key: path };
  },
  (r) => {
    const doc = base();
    const size = int(r, 1_000, 1_000_000);
    const path = pick(r, ['legs[0].name', 'listen', 'legs[0].protocol', 'heartbeat.interval', 'legs[1].type']);
    setAt(doc, path, 'x'.repeat(size));
    return { kind: 'huge value', bytes: yaml(doc), key: path };
  },
  (r) => {
    const doc = base();
    if (r() < 0.5) {
      (doc.legs[0]!.headers as Record<string, unknown>).X = deepMap(int(r, 2, 200));
      return { kind: 'deep nesting', bytes: yaml(doc), key: 'legs[0].headers.X' };
    }
    const depth = int(r, 1_000, 200_000);
    return {
      kind: 'deep nesting (text)',
      bytes: Buffer.from(`legs: ${'['.repeat(depth)}${']'.repeat(depth)}\n`),
      key: null,
    };
  },
  (r) => {
    const doc = base();
    doc.legs[0]!.name = '@@BYTES@@';
    const garbage = Buffer.from(Array.from({ length: int(r, 1, 16) }, () => int(r, 0x80, 0xff)));
    const [before, after] = yaml(doc).toString('utf8').split('@@BYTES@@') as [string, string];
    return {
      kind: 'non-UTF-8 bytes',
      bytes: Buffer.concat([Buffer.from(before), garbage, Buffer.from(after)]),
      key: 'legs[0].name',
    };
  },
  (r) => {
    const docs = [
      ALIAS_BOMB,
      '- a\n- b\n',
      '42\n',
      '"just a string"\n',
      '',
      '---\n---\n',
      'legs: [\n',
      ': x\n',
      '\u0000\u0001\u0002',
      '%YAML 9.9\n---\nlegs: []\n',
    ];
    return { kind: 'not a config document', bytes: Buffer.from(pick(r, docs)), key: null };
  },
];

/** `n` malformed configs from `seed`, cycling through every kind so each appears. */
export function* badConfigs(r: Rng, n: number): Generator<BadConfig> {
  for (let i = 0; i < n; i++) {
    yield GENERATORS[i % GENERATORS.length]!(r);
  }
}

/**
 * The floor for the scale benchmark: `clients` plain `ws` clients against one URL, each sending
 * `{"_tag":"Ping"}` every `interval-ms` and reading the Pongs — nothing else. It measures its own CPU time
 * (process.cpuUsage) over a window the parent chooses, so both sides are measured over the same seconds.
 *
 *   node --import tsx bench/bare-ws-loop.ts --url ws://127.0.0.1:N/ws [--clients 1000] [--interval-ms 1000] [--deflate]
 * `--deflate`: offer permessage-deflate exactly as the probe does (its PROBE_DEFLATE), else none.
 * stdout: {"event":"connected","clients":N} once all are open; stdin line `start` begins the window, `stop`
 * ends it and prints {"event":"window","cpuSeconds":…,"pings":…,"pongs":…,"open":…}. Exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { PROBE_DEFLATE } from '../probe-sidecar/src/legs/deflate';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    clients: { type: 'string', default: '1000' },
    'interval-ms': { type: 'string', default: '1000' },
    deflate: { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const intervalMs = Number(values['interval-ms']);
if (!values.url || !/^wss?:\/\//.test(values.url)) {
  throw new Error(`--url: expected a ws:// URL, got ${JSON.stringify(values.url)}`);
}
if (!Number.isInteger(clients) || clients < 1 || !Number.isInteger(intervalMs) || intervalMs < 10) {
  throw new Error('--clients must be a whole number ≥ 1 and --interval-ms ≥ 10');
}
const url = values.url;

const PING = JSON.stringify({ _tag: 'Ping' });
const counts = { pings: 0, pongs: 0, open: 0 };
const sockets: WebSocket[] = [];
const say = (o: object): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

for (let i = 0; i < clients; i++) {
  const ws = new WebSocket(url, { perMessageDeflate: values.deflate ? PROBE_DEFLATE : false });
  sockets.push(ws);
  ws.on('open', () => {
    counts.open++;
    const timer = setInterval(() => {
      counts.pings++;
      ws.send(PING);
    }, intervalMs);
    ws.on('close', () => {
      clearInterval(timer);
      counts.open--;
    });
    if (counts.open === clients) {
      say({ event: 'connected', clients });
    }
  });
  ws.on('message', (data) => {
    if (String(data).includes('"Pong"')) {
      counts.pongs++;
    }
  });
  ws.on('error', (err) => say({ event: 'error', message: err.message }));
}

let window: { cpu: NodeJS.CpuUsage; pings: number; pongs: number } | null = null;
createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line === 'start') {
      window = { cpu: process.cpuUsage(), pings: counts.pings, pongs: counts.pongs };
    } else if (line === 'stop' && window) {
      const cpu = process.cpuUsage(window.cpu);
      say({
        event: 'window',
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        pings: counts.pings - window.pings,
        pongs: counts.pongs - window.pongs,
        open: counts.open,
      });
    }
  })
  .on('close', () => {
    for (const ws of sockets) {
      ws.terminate();
    }
    process.exit(0);
  });

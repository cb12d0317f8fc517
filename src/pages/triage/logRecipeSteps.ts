import { journalTime, rfc3339 } from '../../lib/utcFormat';

/** One step of the runbook's server-side log recipe (§2), filled in for a window. */
interface RecipeStep {
  id: 'dispatch' | 'mass_cancel' | 'serve_starvation' | 'cloudflared_pods' | 'cloudflared_logs';
  title: string;
  /** What the output means, from the runbook. */
  explains: string;
  command: string;
}

/**
 * The runbook §2 commands for exactly [from, to]. The window is widened to whole seconds outwards
 * (`--since` floors, `--until` ceils) so the log lines of the edge seconds are never cut off.
 */
export function buildLogRecipe(window: { from: number; to: number }): RecipeStep[] {
  if (!Number.isFinite(window.from) || !Number.isFinite(window.to) || window.from > window.to) {
    throw new Error(`log recipe window is not a valid range: from=${window.from} to=${window.to}`);
  }
  const since = journalTime(Math.floor(window.from / 1000) * 1000);
  const until = journalTime(Math.ceil(window.to / 1000) * 1000);
  const range = `--since "${since}" --until "${until}"`;
  return [
    {
      id: 'dispatch',
      title: 'dispatch proxy errors',
      explains:
        '"context canceled" = the front/client side tore down; "connection reset by peer 127.0.0.1:PORT" = that user\'s serve closed; "connection refused" = that user\'s serve was down.',
      command: `journalctl -u t3-dispatch ${range} | grep "proxy error"`,
    },
    {
      id: 'mass_cancel',
      title: 'mass-cancel bursts',
      explains: 'Many cancels in the same second mean a shared-segment break.',
      command:
        `journalctl -u t3-dispatch ${range} \\\n` +
        `  | grep -oE '^.* [0-9:]+ http: proxy error: context canceled' \\\n` +
        `  | awk '{print $6}' | sort | uniq -c | awk '$1>=5'`,
    },
    {
      id: 'serve_starvation',
      title: 'serve-side starvation markers',
      explains: 'git taking more than 5 s means devvm was frozen (runbook §3).',
      command: `journalctl -u t3-serve@ ${range} | grep "timed out"`,
    },
    {
      id: 'cloudflared_pods',
      title: 'cloudflared pod restarts',
      explains: 'Restarts inside the window sever every tunnel WebSocket at once.',
      command: 'kubectl -n cloudflared get pods',
    },
    {
      id: 'cloudflared_logs',
      title: 'cloudflared per-connection events',
      explains:
        'kubectl has no "until": read up to the window end, ' + rfc3339(Math.ceil(window.to / 1000) * 1000) + '.',
      command: `kubectl -n cloudflared logs --since-time=${rfc3339(window.from)} | grep -E "ERR|reconnect"`,
    },
  ];
}

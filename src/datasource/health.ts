import type { LegsRead } from '../shared/probe-api';

/** The health check's sentence: "probe 0.1.0, legs: cloudflare (connected), t3serve (down)". */
export function healthMessage(answer: LegsRead): string {
  const legs = answer.legs.map((l) => `${l.name} (${l.connected ? 'connected' : 'down'})`).join(', ');
  return `probe ${answer.version}, legs: ${legs || 'none configured'}`;
}

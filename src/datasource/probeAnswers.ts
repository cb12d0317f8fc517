import type { Verdict } from '../attribution/types';
import type { EventsAnswer, IncidentsAnswer, LegsAnswer, TopologyAnswer } from './types';

/**
 * Shape checks for the probe's answers: a wrong URL (another service answering 200) or an incompatible
 * probe must give a sentence naming what is wrong, not a crash deep inside a frame mapper.
 */
function fail(path: string, what: string): never {
  throw new Error(`the probe's answer to ${path} ${what}: is the datasource URL a t3 probe?`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function listOf(body: unknown, path: string, key: string): unknown[] {
  if (!isObject(body)) {
    fail(path, 'is not a JSON object');
  }
  const list = body[key];
  if (!Array.isArray(list)) {
    fail(path, `has no "${key}" list`);
  }
  list.forEach((item, i) => {
    if (!isObject(item)) {
      fail(path, `has a non-object at ${key}[${i}]`);
    }
  });
  return list;
}

export function readLegs(body: unknown): LegsAnswer {
  const path = '/api/v1/legs';
  const legs = listOf(body, path, 'legs');
  legs.forEach((l, i) => {
    const leg = l as Record<string, unknown>;
    if (typeof leg.name !== 'string') {
      fail(path, `has no name at legs[${i}]`);
    }
    if (typeof leg.connected !== 'boolean') {
      fail(path, `has no connected flag at legs[${i}]`);
    }
  });
  const version = (body as Record<string, unknown>).version;
  return { ...(body as object), version: typeof version === 'string' ? version : 'unknown', legs } as LegsAnswer;
}

export function readEvents(body: unknown): EventsAnswer {
  const path = '/api/v1/events';
  const events = listOf(body, path, 'events');
  events.forEach((e, i) => {
    const ev = e as Record<string, unknown>;
    if (typeof ev.time !== 'number' || typeof ev.type !== 'string') {
      fail(path, `has no time/type at events[${i}]`);
    }
  });
  return body as EventsAnswer;
}

export function readIncidents(body: unknown): IncidentsAnswer {
  const path = '/api/v1/incidents';
  const incidents = listOf(body, path, 'incidents');
  incidents.forEach((x, i) => {
    const inc = x as Record<string, unknown>;
    if (
      typeof inc.id !== 'string' ||
      typeof inc.start !== 'number' ||
      !(inc.end === null || typeof inc.end === 'number')
    ) {
      fail(path, `has no id/start/end at incidents[${i}]`);
    }
    if (!Array.isArray(inc.legs) || !Array.isArray(inc.suspects)) {
      fail(path, `has no legs/suspects at incidents[${i}]`);
    }
  });
  return body as IncidentsAnswer;
}

export function readVerdict(body: unknown): Verdict {
  const path = '/api/v1/attribution';
  if (!isObject(body)) {
    fail(path, 'is not a JSON object');
  }
  if (body.verdict !== 'incident' && body.verdict !== 'exonerated' && body.verdict !== 'unknown') {
    fail(path, 'has no verdict');
  }
  for (const key of ['segments', 'legs', 'hints', 'incidents', 'suspects']) {
    if (!Array.isArray(body[key])) {
      fail(path, `has no "${key}" list`);
    }
  }
  return body as unknown as Verdict;
}

export function readTopology(body: unknown): TopologyAnswer {
  const path = '/api/v1/topology';
  listOf(body, path, 'segments');
  listOf(body, path, 'legs');
  return body as TopologyAnswer;
}

/**
 * What went wrong with a request, in one sentence: the probe's own `{"error": "..."}` text when it sent
 * one, else the HTTP status, else the thrown message.
 */
export function requestErrorText(err: unknown, path: string): string {
  if (isObject(err)) {
    const data = err.data;
    const status = typeof err.status === 'number' ? err.status : null;
    const probeText =
      isObject(data) && typeof data.error === 'string'
        ? data.error
        : isObject(data) && typeof data.message === 'string'
          ? data.message
          : null;
    if (status !== null) {
      const head = `${path}: ${status}${typeof err.statusText === 'string' && err.statusText ? ` ${err.statusText}` : ''}`;
      return probeText ? `${head}: ${probeText}` : head;
    }
    if (typeof err.message === 'string') {
      return `${path}: ${err.message}`;
    }
  }
  return `${path}: ${String(err)}`;
}

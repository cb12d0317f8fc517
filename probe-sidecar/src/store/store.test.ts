import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident, ProbeEvent } from '../engine.js';
import { nodeFs, type StoreFs } from './fs.js';
import { Store, type StoreOptions } from './store.js';
import { fakeIncident } from '../../../src/shared/probe-api/fakes.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-10T08:00:00Z');
const open: Store[] = [];

const dirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 't3probe-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function openStore(
  dir: string,
  opts: Partial<StoreOptions> = {}
): Promise<{ store: Store; errors: string[]; recovered: number[] }> {
  const errors: string[] = [];
  const recovered: number[] = [];
  const store = new Store(dir, {
    retentionMs: 30 * DAY,
    now: () => T0,
    retryMs: 20,
    onError: (op) => errors.push(op),
    onRecovered: (_file, bytes) => recovered.push(bytes),
    ...opts,
  });
  await store.open();
  open.push(store);
  return { store, errors, recovered };
}

const disconnect = (time: number, leg = 'internal'): ProbeEvent => ({
  type: 'disconnect',
  time,
  leg,
  reason: 'reset',
  lastHeard: time - 100,
});
const incident = (start: number, end: number): Incident =>
  fakeIncident({ id: `${start}-internal`, start, end, summary: 's' });

afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.close();
  }
});

describe('Store', () => {
  it('writes one file per UTC day and reads a window back across days, oldest first', async () => {
    const dir = tmp();
    const { store } = await openStore(dir);
    store.appendEvent(disconnect(T0 + DAY));
    store.appendEvent(disconnect(T0));
    store.appendEvent({ type: 'probe_start', time: T0 - DAY });
    await store.flush();
    expect(existsSync(join(dir, 'events', '2026-06-09.jsonl'))).toBe(true);
    expect(
      readFileSync(join(dir, 'events', '2026-06-10.jsonl'), 'utf8')
        .trim()
        .split('\n')
    ).toHaveLength(1);
    expect((await store.readEvents(T0 - DAY, T0 + DAY)).map((e) => e.time)).toEqual([T0 - DAY, T0, T0 + DAY]);
    expect((await store.readEvents(T0, T0 + 1)).map((e) => e.time)).toEqual([T0]);
  });

  it('keeps history through a restart', async () => {
    const dir = tmp();
    const first = await openStore(dir);
    first.store.appendEvent(disconnect(T0));
    first.store.appendIncident(incident(T0 - 1000, T0 + 5000));
    await first.store.close();
    const { store } = await openStore(dir);
    expect(await store.readEvents(T0 - 1, T0 + 1)).toEqual([disconnect(T0)]);
    expect((await store.readIncidents(T0, T0)).map((i) => i.id)).toEqual([`${T0 - 1000}-internal`]);
  });

  it('finds an incident that started before the window and ended after it (filed by its end day)', async () => {
    const { store } = await openStore(tmp());
    store.appendIncident(incident(T0 - DAY, T0 + DAY));
    store.appendIncident(incident(T0 - 10 * DAY, T0 - 9 * DAY));
    expect((await store.readIncidents(T0, T0 + 1000)).map((i) => i.start)).toEqual([T0 - DAY]);
  });

  it('drops a torn last record on open, reports it, keeps the rest, and appends cleanly after it', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'events'), { recursive: true });
    const file = join(dir, 'events', '2026-06-10.jsonl');
    writeFileSync(
      file,
      JSON.stringify(disconnect(T0)) + '\n' + JSON.stringify(disconnect(T0 + 1)) + '\n' + '{"type":"disconn'
    );
    const { store, recovered, errors } = await openStore(dir);
    expect(recovered).toEqual([16]);
    expect(errors).toEqual([]);
    store.appendEvent(disconnect(T0 + 2));
    await store.flush();
    expect((await store.readEvents(T0, T0 + 10)).map((e) => e.time)).toEqual([T0, T0 + 1, T0 + 2]);
    expect(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .every((l) => JSON.parse(l))
    ).toBe(true);
  });

  it('drops a garbled (but terminated) last line too', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'incidents'), { recursive: true });
    const file = join(dir, 'incidents', '2026-06-10.jsonl');
    writeFileSync(file, JSON.stringify(incident(T0, T0 + 1)) + '\n\u0000\u0000garbage\n');
    const { store, recovered } = await openStore(dir);
    expect(recovered).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(incident(T0, T0 + 1)) + '\n');
    expect(await store.readIncidents(T0, T0 + 1)).toHaveLength(1);
  });

  it('leaves an intact file alone', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'events'), { recursive: true });
    const text = JSON.stringify(disconnect(T0)) + '\n';
    writeFileSync(join(dir, 'events', '2026-06-10.jsonl'), text);
    const { recovered } = await openStore(dir);
    expect(recovered).toEqual([]);
    expect(readFileSync(join(dir, 'events', '2026-06-10.jsonl'), 'utf8')).toBe(text);
  });

  it('deletes whole day files older than the retention, and nothing else', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'events'), { recursive: true });
    for (const day of ['2026-05-10', '2026-05-11', '2026-05-12', '2026-06-10']) {
      writeFileSync(join(dir, 'events', `${day}.jsonl`), '');
    }
    writeFileSync(join(dir, 'events', 'notes.txt'), 'keep');
    await openStore(dir, { retentionMs: 30 * DAY });
    expect(
      ['2026-05-10', '2026-05-11', '2026-05-12', '2026-06-10'].map((d) => existsSync(join(dir, 'events', `${d}.jsonl`)))
    ).toEqual([false, true, true, true]);
    expect(existsSync(join(dir, 'events', 'notes.txt'))).toBe(true);
  });

  it('on ENOSPC keeps probing: counts the error, serves the record from memory, retries and writes it later', async () => {
    const dir = tmp();
    let full = true;
    let partial = true;
    const fs: StoreFs = {
      ...nodeFs,
      append: async (file, data) => {
        if (full) {
          // A partial write before the disk filled up: half a record lands in the file.
          if (partial) {
            appendFileSync(file, data.slice(0, 10));
          }
          partial = false;
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        }
        await nodeFs.append(file, data);
      },
    };
    const { store, errors } = await openStore(dir, { fs });
    store.appendEvent(disconnect(T0));
    store.appendEvent(disconnect(T0 + 1));
    await new Promise((r) => setTimeout(r, 60));
    expect(errors.filter((e) => e === 'append').length).toBeGreaterThanOrEqual(1);
    expect((await store.readEvents(T0, T0 + 1)).map((e) => e.time)).toEqual([T0, T0 + 1]);
    full = false;
    await new Promise((r) => setTimeout(r, 60));
    await store.flush();
    const lines = readFileSync(join(dir, 'events', '2026-06-10.jsonl'), 'utf8').split('\n');
    // The torn fragment stays on a line of its own; both records are whole lines after it.
    expect(
      lines
        .filter(Boolean)
        .slice(-2)
        .map((l) => JSON.parse(l).time)
    ).toEqual([T0, T0 + 1]);
    const reopened = await openStore(dir);
    expect((await reopened.store.readEvents(T0, T0 + 1)).map((e) => e.time)).toEqual([T0, T0 + 1]);
    // The fragment is reported once per read (counted, never served).
    expect(reopened.errors).toContain('read');
  });

  it('fsyncs incidents on append, events on flush', async () => {
    const synced: string[] = [];
    const fs: StoreFs = { ...nodeFs, fsync: async (file) => void synced.push(file.split('/').slice(-2).join('/')) };
    const { store } = await openStore(tmp(), { fs, syncEveryMs: 60_000 });
    store.appendEvent(disconnect(T0));
    store.appendIncident(incident(T0, T0 + 1));
    await store.readEvents(T0, T0);
    expect(synced).toEqual(['incidents/2026-06-10.jsonl']);
    await store.flush();
    expect(synced).toEqual(['incidents/2026-06-10.jsonl', 'events/2026-06-10.jsonl']);
  });
});

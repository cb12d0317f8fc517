// The durable store under dataDir: append-only JSON lines, one file per UTC day, for events
// (`events/`, by event time) and closed incidents (`incidents/`, by end time).
//
// Flush policy: every record is appended with one write as it happens, so a kill -9 loses nothing
// already recorded (the page cache survives the process). Incident files are fsynced on every append;
// event files are fsynced every `syncEveryMs` (default 5 s), on each incident close and on shutdown, so a
// power cut loses at most the last few seconds of events. A failed write never stops probing: it is
// counted and logged, the record stays in memory (still served by reads) and is retried later.
import { join } from 'node:path';
import type { Incident, ProbeEvent } from '../engine.js';
import type { StoreOp } from '../metrics.js';
import { dayOf, dayOfFile } from './days.js';
import { nodeFs, type StoreFs } from './fs.js';

type Kind = 'events' | 'incidents';

export interface StoreOptions {
  retentionMs: number;
  fs?: StoreFs;
  onError?: (op: StoreOp, err: unknown, fields?: Record<string, unknown>) => void;
  /** A torn or garbled last record was dropped on open. */
  onRecovered?: (file: string, droppedBytes: number) => void;
  now?: () => number;
  retryMs?: number;
  syncEveryMs?: number;
}

interface Pending {
  file: string;
  kind: Kind;
  record: ProbeEvent | Incident;
  sync: boolean;
}

export class Store {
  private readonly fs: StoreFs;
  private readonly now: () => number;
  private chain: Promise<unknown> = Promise.resolve();
  private pending: Pending[] = [];
  /** Files whose last append failed: the next append starts with a newline, ending any partial line. */
  private readonly broken = new Set<string>();
  private readonly unsynced = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly dir: string,
    private readonly opts: StoreOptions
  ) {
    this.fs = opts.fs ?? nodeFs;
    this.now = opts.now ?? Date.now;
  }

  /** Creates the directories, drops torn tails, applies retention, starts the sync and retention timers. */
  async open(): Promise<void> {
    for (const kind of ['events', 'incidents'] as const) {
      try {
        await this.fs.mkdir(join(this.dir, kind));
        await this.recoverTail(kind);
      } catch (err) {
        this.opts.onError?.('recover', err, { kind });
      }
    }
    await this.applyRetention();
    this.timers.push(
      setInterval(() => void this.serial(() => this.syncAll()), this.opts.syncEveryMs ?? 5000),
      setInterval(() => void this.applyRetention(), 3_600_000)
    );
    for (const t of this.timers) {
      t.unref();
    }
  }

  appendEvent(e: ProbeEvent): void {
    this.enqueue({ kind: 'events', file: this.file('events', e.time), record: e, sync: false });
  }

  appendIncident(inc: Incident): void {
    this.enqueue({ kind: 'incidents', file: this.file('incidents', inc.end ?? this.now()), record: inc, sync: true });
  }

  /** Events with from ≤ time ≤ to, oldest first, including records not yet on disk. */
  async readEvents(from: number, to: number): Promise<ProbeEvent[]> {
    const rows = await this.read('events', dayOf(from), dayOf(to));
    return (rows as ProbeEvent[])
      .filter((e) => typeof e.time === 'number' && e.time >= from && e.time <= to)
      .sort((a, b) => a.time - b.time);
  }

  /** Closed incidents overlapping [from, to], oldest first. Filed by end day, so read every day from `from` on. */
  async readIncidents(from: number, to: number): Promise<Incident[]> {
    const rows = await this.read('incidents', dayOf(from), null);
    return (rows as Incident[])
      .filter((i) => typeof i.start === 'number' && typeof i.end === 'number' && i.start <= to && i.end >= from)
      .sort((a, b) => a.start - b.start);
  }

  /** Writes what is pending and fsyncs: for shutdown. */
  async flush(): Promise<void> {
    await this.serial(() => this.drain());
    await this.serial(() => this.syncAll());
  }

  async close(): Promise<void> {
    for (const t of this.timers) {
      clearInterval(t);
    }
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
    }
    await this.flush();
  }

  /** Deletes whole day files older than the retention. */
  async applyRetention(): Promise<void> {
    const oldest = dayOf(this.now() - this.opts.retentionMs);
    for (const kind of ['events', 'incidents'] as const) {
      await this.serial(async () => {
        for (const name of await this.list(kind)) {
          const day = dayOfFile(name);
          if (day === null || day >= oldest) {
            continue;
          }
          try {
            await this.fs.unlink(join(this.dir, kind, name));
          } catch (err) {
            this.opts.onError?.('retention', err, { file: name });
          }
        }
      });
    }
  }

  private file(kind: Kind, time: number): string {
    return join(this.dir, kind, `${dayOf(time)}.jsonl`);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private enqueue(p: Pending): void {
    this.pending.push(p);
    void this.serial(() => this.drain());
  }

  /** Writes pending records in order; stops at the first failure and retries later. */
  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const p = this.pending[0]!;
      const line = JSON.stringify(p.record) + '\n';
      try {
        await this.fs.append(p.file, this.broken.has(p.file) ? '\n' + line : line);
        this.broken.delete(p.file);
        if (p.sync) {
          await this.syncFile(p.file);
        } else {
          this.unsynced.add(p.file);
        }
      } catch (err) {
        this.broken.add(p.file);
        this.opts.onError?.('append', err, { file: p.file, pending: this.pending.length });
        this.retryLater();
        return;
      }
      this.pending.shift();
    }
  }

  private retryLater(): void {
    if (this.retryTimer) {
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.serial(() => this.drain());
    }, this.opts.retryMs ?? 5000);
    this.retryTimer.unref();
  }

  private async syncFile(file: string): Promise<void> {
    try {
      await this.fs.fsync(file);
      this.unsynced.delete(file);
    } catch (err) {
      this.opts.onError?.('fsync', err, { file });
    }
  }

  private async syncAll(): Promise<void> {
    for (const file of [...this.unsynced]) {
      await this.syncFile(file);
    }
  }

  private async list(kind: Kind): Promise<string[]> {
    try {
      return (await this.fs.readdir(join(this.dir, kind))).filter((n) => dayOfFile(n) !== null).sort();
    } catch (err) {
      this.opts.onError?.('read', err, { kind });
      return [];
    }
  }

  /** Records of day files first..last (last null: to the newest), then those still pending. */
  private read(kind: Kind, first: string, last: string | null): Promise<unknown[]> {
    return this.serial(async () => {
      const rows: unknown[] = [];
      for (const name of await this.list(kind)) {
        const day = dayOfFile(name)!;
        if (day < first || (last !== null && day > last)) {
          continue;
        }
        let text: string;
        try {
          text = await this.fs.readFile(join(this.dir, kind, name));
        } catch (err) {
          this.opts.onError?.('read', err, { file: name });
          continue;
        }
        for (const line of text.split('\n')) {
          if (!line) {
            continue;
          }
          const row = parseRecord(line);
          if (row === null) {
            this.opts.onError?.('read', new Error('garbled record skipped'), { file: name });
          } else {
            rows.push(row);
          }
        }
      }
      for (const p of this.pending) {
        if (p.kind === kind) {
          rows.push(p.record);
        }
      }
      return rows;
    });
  }

  /** Cuts the newest file back to its last complete, parseable record (a kill -9 can tear the tail). */
  private async recoverTail(kind: Kind): Promise<void> {
    const names = await this.list(kind);
    const newest = names[names.length - 1];
    if (!newest) {
      return;
    }
    const file = join(this.dir, kind, newest);
    const text = await this.fs.readFile(file);
    let keep = text.length;
    for (;;) {
      const body = text.slice(0, keep);
      const end = body.endsWith('\n') ? body.length - 1 : body.length;
      const start = body.lastIndexOf('\n', end - 1) + 1;
      if (end === 0 || (body.endsWith('\n') && parseRecord(body.slice(start, end)) !== null)) {
        break;
      }
      keep = start;
    }
    if (keep === text.length) {
      return;
    }
    await this.fs.truncate(file, Buffer.byteLength(text.slice(0, keep)));
    this.opts.onRecovered?.(file, Buffer.byteLength(text) - Buffer.byteLength(text.slice(0, keep)));
  }
}

function parseRecord(line: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

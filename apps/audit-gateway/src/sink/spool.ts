import { mkdir, open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import { auditRecordFromValue, type AuditRecord } from './audit-record';

const SEGMENT = /^(\d{12})\.jsonl$/;

interface Segment { seq: number; bytes: number; events: number }

/**
 * A bounded, append-only on-disk queue of audit records: numbered segment files of JSON lines.
 * append() resolves after fdatasync, so an acknowledged record survives SIGKILL and power loss.
 * Segments are never reopened for writing after a restart, so a torn last line (a write that was
 * never acknowledged) can only be at a segment's end; reading skips it.
 */
export class Spool {
  private segments: Segment[] = [];
  private active: { segment: Segment; handle: FileHandle } | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly opts: { maxBytes: number; segmentBytes: number; retryAfterMs: number; logger: Logger },
  ) {}

  get bytes(): number {
    return this.segments.reduce((n, s) => n + s.bytes, 0);
  }

  get events(): number {
    return this.segments.reduce((n, s) => n + s.events, 0);
  }

  isEmpty(): boolean {
    return this.events === 0;
  }

  /** Finds the segments a previous run left (after a crash or a shutdown with Kafka away). */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((n) => SEGMENT.test(n)).sort();
    for (const name of names) {
      const seq = Number(SEGMENT.exec(name)?.[1]);
      const records = await this.readSegment(seq);
      const { size } = await stat(this.file(seq));
      if (records.length === 0) await unlink(this.file(seq));
      else this.segments.push({ seq, bytes: size, events: records.length });
    }
  }

  /** Appends and fsyncs; throws resource_exhausted (with a retry hint) when the bound would be passed. */
  append(records: AuditRecord[]): Promise<void> {
    const data = records.map((r) => `${r.value}\n`).join('');
    const size = Buffer.byteLength(data);
    return this.serial(async () => {
      if (this.bytes + size > this.opts.maxBytes) {
        throw new AppError('resource_exhausted', `audit spool full (${this.bytes} of ${this.opts.maxBytes} bytes); retry later`, {
          details: { retryAfterMs: this.opts.retryAfterMs },
        });
      }
      const active = await this.writable();
      try {
        await active.handle.appendFile(data, 'utf8');
        await active.handle.datasync();
      } catch (err) {
        await this.seal(); // never append after a failed write: the next record starts a new segment
        throw new AppError('unavailable', 'audit spool write failed', { cause: err });
      }
      active.segment.bytes += size;
      active.segment.events += records.length;
      if (active.segment.bytes >= this.opts.segmentBytes) await this.seal();
    });
  }

  /** The oldest segment's records (sealing it if it is the one being written), or undefined. */
  oldest(): Promise<{ seq: number; records: AuditRecord[] } | undefined> {
    return this.serial(async () => {
      const first = this.segments[0];
      if (!first) return undefined;
      if (this.active?.segment === first) await this.seal();
      return { seq: first.seq, records: await this.readSegment(first.seq) };
    });
  }

  /** Deletes a segment after Kafka acknowledged all of it. */
  remove(seq: number): Promise<void> {
    return this.serial(async () => {
      await unlink(this.file(seq));
      this.segments = this.segments.filter((s) => s.seq !== seq);
    });
  }

  close(): Promise<void> {
    return this.serial(() => this.seal());
  }

  private async writable(): Promise<{ segment: Segment; handle: FileHandle }> {
    if (this.active) return this.active;
    const seq = (this.segments.at(-1)?.seq ?? 0) + 1;
    const handle = await open(this.file(seq), 'a');
    await syncDirectory(this.dir); // the new file's name must be durable too
    const segment: Segment = { seq, bytes: 0, events: 0 };
    this.segments.push(segment);
    this.active = { segment, handle };
    return this.active;
  }

  private async seal(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.handle.close();
  }

  private async readSegment(seq: number): Promise<AuditRecord[]> {
    const lines = (await readFile(this.file(seq), 'utf8')).split('\n');
    const records: AuditRecord[] = [];
    lines.forEach((line, i) => {
      if (line === '') return;
      try {
        records.push(auditRecordFromValue(line));
      } catch {
        // Only a torn, never-acknowledged tail can be unparsable.
        this.opts.logger.warn({ segment: seq, line: i + 1 }, 'skipping a torn spool line');
      }
    });
    return records;
  }

  private file(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.jsonl`);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.lock.then(task);
    this.lock = next.catch(() => undefined);
    return next;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

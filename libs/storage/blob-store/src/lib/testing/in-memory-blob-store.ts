import { randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import type { BeginOptions, BlobMeta, BlobStore, ByteRange, PendingBlob, PutDocumentOptions, StoredBlob } from '../blob-store';
import { resolveByteRange } from '../byte-range';
import { ByteDigester, bytesOf } from '../integrity';
import { assertValidKey, assertValidPrefix, compareKeys } from '../keys';
import { createStagedBody } from '../integrity';

interface Entry {
  meta: BlobMeta;
  /** Kept as the chunks that were written, so reads stream in chunks like the real adapters. */
  chunks: Uint8Array[];
}

/** The BlobStore contract in memory, for fast unit tests of code built on the port. Not for production. */
export class InMemoryBlobStore implements BlobStore {
  private readonly entries = new Map<string, Entry>();
  /** Staged writes not yet committed or aborted; the contract suite checks that failures leave none. */
  readonly staged = new Set<string>();

  async get(key: string, opts: { range?: ByteRange; signal?: AbortSignal } = {}): Promise<StoredBlob | undefined> {
    assertValidKey(key);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const range = resolveByteRange(opts.range, entry.meta.size);
    const body = Readable.from(slice(entry.chunks, range), { objectMode: false });
    return range === undefined ? { meta: entry.meta, body } : { meta: entry.meta, body, range };
  }

  async head(key: string): Promise<BlobMeta | undefined> {
    assertValidKey(key);
    return this.entries.get(key)?.meta;
  }

  async begin(key: string, opts: BeginOptions = {}): Promise<PendingBlob> {
    assertValidKey(key);
    const chunks: Uint8Array[] = [];
    const stageId = randomUUID();
    this.staged.add(stageId);
    const target = new Writable({ write(chunk: Uint8Array, _e, done) { chunks.push(chunk); done(); } });
    const staged = createStagedBody(key, target, opts);
    staged.body.once('close', () => { if (staged.body.errored) this.staged.delete(stageId); });
    return {
      body: staged.body,
      commit: async () => {
        try {
          const { size, digests } = await staged.finish();
          const meta = newMeta(key, size, opts.contentType, digests);
          this.entries.set(key, { meta, chunks });
          return meta;
        } finally {
          this.staged.delete(stageId);
        }
      },
      abort: async () => {
        staged.body.destroy();
        this.staged.delete(stageId);
      },
    };
  }

  async getDocument(key: string): Promise<{ body: Buffer; etag: string } | undefined> {
    assertValidKey(key);
    const entry = this.entries.get(key);
    return entry === undefined ? undefined : { body: Buffer.concat(entry.chunks), etag: entry.meta.etag };
  }

  async putDocument(key: string, body: Buffer, opts: PutDocumentOptions = {}): Promise<{ etag: string }> {
    assertValidKey(key);
    const current = this.entries.get(key);
    if (opts.ifNoneMatch === '*' && current !== undefined) throw new AppError('precondition_failed', `${key} already exists`, { publicMessage: 'the document already exists' });
    if (opts.ifMatch !== undefined && current?.meta.etag !== opts.ifMatch) {
      throw new AppError('precondition_failed', `${key} changed since it was read`, { publicMessage: 'the document changed concurrently' });
    }
    const digester = new ByteDigester(undefined);
    digester.update(bytesOf(body));
    const meta = newMeta(key, body.length, opts.contentType, digester.digest());
    const copy = new Uint8Array(body.length);
    copy.set(bytesOf(body));
    this.entries.set(key, { meta, chunks: [copy] });
    return { etag: meta.etag };
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    this.entries.delete(key);
  }

  async *list(prefix: string): AsyncIterable<string> {
    assertValidPrefix(prefix);
    yield* [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys);
  }

  async ping(): Promise<void> {}
}

function newMeta(key: string, size: number, contentType: string | undefined, digests: BlobMeta['digests']): BlobMeta {
  return { key, size, contentType: contentType ?? 'application/octet-stream', etag: randomUUID(), storedAt: new Date(), digests };
}

function* slice(chunks: Uint8Array[], range: ByteRange | undefined): Generator<Uint8Array> {
  let offset = 0;
  const start = range?.start ?? 0;
  const end = range === undefined ? Infinity : range.end + 1;
  for (const chunk of chunks) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end - offset, chunk.length);
    if (to > from) yield chunk.subarray(from, to);
    offset += chunk.length;
  }
}

/** The in-memory store, counting its reads: a test's measure of store round trips (probes, rechecks). */
export class CountingBlobStore extends InMemoryBlobStore {
  gets = 0;
  heads = 0;

  override get(...args: Parameters<InMemoryBlobStore['get']>) {
    this.gets++;
    return super.get(...args);
  }

  override head(key: string) {
    this.heads++;
    return super.head(key);
  }
}

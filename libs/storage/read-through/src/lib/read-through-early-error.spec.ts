import { PassThrough } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@registry/shared-logger';
import type { BlobStore, BeginOptions, PendingBlob } from '@registry/storage-blob-store';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createReadThrough } from './read-through';
import { drain, opened } from './testing/read-through-support';

/** A store whose begin() takes a while, so the upstream body can fail before anyone reads it. */
class SlowBeginStore extends InMemoryBlobStore {
  override async begin(key: string, opts?: BeginOptions): Promise<PendingBlob> {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    return super.begin(key, opts);
  }
}

describe('read-through when the upstream body fails before it is read', () => {
  it('reports the error to the client, caches nothing, and does not crash the process', async () => {
    const store: BlobStore = new SlowBeginStore();
    const spoolDir = await mkdtemp(path.join(tmpdir(), 'read-through-early-'));
    try {
      const cache = createReadThrough({ store, logger: silentLogger, spoolDir });
      const result = opened(cache, 'pkg/early.tgz', {
        fetch: async () => {
          const body = new PassThrough();
          body.write(Buffer.from('partial'));
          process.nextTick(() => body.destroy(new Error('connection reset by upstream')));
          return { body, size: 1000 };
        },
      });
      const outcome = await result.then((r) => drain(r.body), (error: unknown) => ({ data: new Uint8Array(), error }));
      expect(outcome.error).toBeInstanceOf(Error);
      expect(outcome.data.length).toBeLessThan(1000);
      expect(await store.head('pkg/early.tgz')).toBeUndefined();
    } finally {
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { updateDocument } from '@registry/storage-blob-store';
import { putBlob, readAll } from '@registry/storage-blob-store/testing';
import { createFsBlobStore } from './fs-blob-store';

// Separate store instances have separate in-process queues, so only the lock file keeps them apart:
// this is what two proxy processes sharing one DATA_DIR do.
describe('filesystem store shared by several instances', () => {
  let root: string;
  beforeEach(async () => { root = await mkdtemp(path.join(tmpdir(), 'blob-store-fs-shared-')); });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('never loses a compare-and-swap update between instances', async () => {
    const instances = Array.from({ length: 4 }, () => createFsBlobStore({ root }));
    const names = Array.from({ length: 20 }, (_, i) => `w${i}`);
    await Promise.all(names.map((name, i) => updateDocument<{ writers: string[] }>(
      instances[i % instances.length]!, 'pkg/doc.json', (doc) => ({ writers: [...(doc?.writers ?? []), name] }), { maxAttempts: 100 })));
    const doc = await instances[0]!.getDocument('pkg/doc.json');
    expect((JSON.parse(doc!.body.toString()) as { writers: string[] }).writers.sort()).toEqual([...names].sort());
  });

  it('keeps exactly one complete version when instances commit the same key concurrently', async () => {
    const instances = Array.from({ length: 4 }, () => createFsBlobStore({ root }));
    const bodies = instances.map((_, i) => Buffer.alloc(100_000 + i, i + 1));
    await Promise.all(instances.map((store, i) => putBlob(store, 'pkg/a.tgz', bodies[i]!)));
    const read = await readAll((await instances[1]!.get('pkg/a.tgz'))!.body);
    expect(bodies.some((b) => b.equals(read))).toBe(true);
    const files = await readdir(path.join(root, 'objects', 'pkg'));
    expect(files.filter((f) => f.endsWith('.data'))).toHaveLength(1); // replaced versions are removed
    expect(files.filter((f) => f.endsWith('@lock'))).toHaveLength(0);
    expect(await readdir(path.join(root, '.staging'))).toEqual([]);
  });
});

import { asSeparateInstance, InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { loadPrivateProject, updatePrivateProject, type PrivateProject } from './private-projects';

const addFile = (filename: string) => (current: PrivateProject | undefined): PrivateProject => {
  const base = current ?? { name: 'demo', owners: ['alice'], files: {}, deletedFilenames: [] };
  const record = {
    filename, version: '1.0', kind: 'wheel' as const, sha256: 'a'.repeat(64), blake2b256: 'b'.repeat(64), size: 1,
    uploadTime: '2026-01-01T00:00:00Z', requiresPython: null, metadataSha256: null, yanked: false as const, uploader: 'alice',
  };
  return { ...base, files: { ...base.files, [filename]: record } };
};

/** Counts compare-and-swap losses (the retries that starved uploads when every writer raced every other). */
class ConflictCountingStore extends InMemoryBlobStore {
  conflicts = 0;
  override async putDocument(...args: Parameters<InMemoryBlobStore['putDocument']>) {
    try {
      return await super.putDocument(...args);
    } catch (err) {
      if ((err as { code?: string }).code === 'precondition_failed') this.conflicts++;
      throw err;
    }
  }
}

describe('updatePrivateProject', () => {
  it('queues 32 simultaneous updates of one project made through one instance: all kept, no CAS conflict', async () => {
    const store = new ConflictCountingStore();
    const names = Array.from({ length: 32 }, (_, i) => `demo-1.0.${i}-py3-none-any.whl`);
    await Promise.all(names.map((n) => updatePrivateProject(store, 'demo', addFile(n))));
    expect(Object.keys((await loadPrivateProject(store, 'demo')).project?.files ?? {}).sort()).toEqual([...names].sort());
    expect(store.conflicts).toBe(0);
  });

  it('keeps all updates made at once through two instances sharing the store (compare-and-swap between them)', async () => {
    const store = new InMemoryBlobStore();
    const instances = [store, asSeparateInstance(store)];
    const names = Array.from({ length: 16 }, (_, i) => `demo-1.0.${i}-py3-none-any.whl`);
    await Promise.all(names.map((n, i) => updatePrivateProject(instances[i % 2]!, 'demo', addFile(n))));
    expect(Object.keys((await loadPrivateProject(store, 'demo')).project?.files ?? {}).sort()).toEqual([...names].sort());
  });
});

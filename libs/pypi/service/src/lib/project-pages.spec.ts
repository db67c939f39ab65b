import { silentLogger } from '@registry/shared-logger';
import { asSeparateInstance, CountingBlobStore } from '@registry/storage-blob-store/testing';
import { updatePrivateProject, type PrivateFileRecord, type PrivateProject } from './private-projects';
import { ProjectPages } from './project-pages';

const RECHECK_MS = 1_000;

function record(filename: string): PrivateFileRecord {
  return {
    filename, version: '1.0', kind: 'wheel', sha256: 'a'.repeat(64), blake2b256: 'b'.repeat(64), size: 1,
    uploadTime: '2026-01-01T00:00:00Z', requiresPython: null, metadataSha256: null, yanked: false, uploader: 'alice',
  };
}

const addFile = (filename: string) => (current: PrivateProject | undefined): PrivateProject => {
  const base = current ?? { name: 'demo', owners: ['alice'], files: {}, deletedFilenames: [] };
  return { ...base, files: { ...base.files, [filename]: record(filename) } };
};

describe('ProjectPages: cached private pages and uploads made through another instance', () => {
  let store: CountingBlobStore;
  let clock: number;
  let pages: ProjectPages;
  const otherInstance = () => ({ update: (project: string, mutate: (p: PrivateProject | undefined) => PrivateProject | undefined) => updatePrivateProject(asSeparateInstance(store), project, mutate) });
  const filenames = async () => JSON.parse((await pages.get('demo', 'json-v1')).body.toString()).files.map((f: { filename: string }) => f.filename);

  beforeEach(async () => {
    store = new CountingBlobStore();
    clock = 0;
    pages = new ProjectPages({
      store, upstreamDocs: undefined, fileUrl: (_p, f) => `/files/demo/${f}`, baseUrl: '',
      mergeAllowlist: new Set(), privateRecheckMs: RECHECK_MS, maxCacheBytes: 1024 * 1024, logger: silentLogger, now: () => clock,
    });
    await otherInstance().update('demo', addFile('demo-1.0-py3-none-any.whl'));
  });

  it('shows another instance\'s upload once privateRecheckMs passed, not before, with one head per burst', async () => {
    expect(await filenames()).toEqual(['demo-1.0-py3-none-any.whl']);
    await otherInstance().update('demo', addFile('demo-1.0.tar.gz'));

    clock = RECHECK_MS - 1;
    expect(await filenames()).toEqual(['demo-1.0-py3-none-any.whl']);
    expect(store.heads).toBe(0);

    clock = RECHECK_MS;
    const burst = await Promise.all(Array.from({ length: 10 }, () => filenames()));
    expect(store.heads).toBe(1);
    for (const listed of burst) expect(listed.sort()).toEqual(['demo-1.0-py3-none-any.whl', 'demo-1.0.tar.gz']);
  });

  it('keeps serving the cached page after a revalidation that finds the document unchanged', async () => {
    const first = (await pages.get('demo', 'json-v1')).body;
    clock = RECHECK_MS;
    expect((await pages.get('demo', 'json-v1')).body).toBe(first);
    clock = RECHECK_MS + 1;
    expect((await pages.get('demo', 'json-v1')).body).toBe(first);
    expect(store.heads).toBe(1);
  });
});

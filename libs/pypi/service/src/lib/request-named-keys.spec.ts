import { Readable } from 'node:stream';
import type { Principal } from '@registry/auth-identity';
import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { bufferSource } from '@registry/pypi-protocol';
import { makeWheel, zipStored, sha256Hex } from '@registry/pypi-testing';
import { createPypiService, type PypiService } from './pypi-service';
import { storageKeys } from './storage-keys';
import type { ValidUpload } from './uploads';

const alice: Principal = { user: { name: 'alice', email: null, roles: [], createdAt: '2026-01-01T00:00:00Z' }, via: 'token', readonly: false };
const admin: Principal = { ...alice, user: { ...alice.user, name: 'root', roles: ['admin'] } };

const valid = (bytes: Buffer, filename: string, version = '1.0.0'): ValidUpload => ({
  name: 'demo', normalized: 'demo', version, kind: 'wheel', requiresPython: null,
  content: {
    filename, size: bytes.length, sha256: sha256Hex(bytes), blake2b256: 'b'.repeat(64), md5: 'c'.repeat(32),
    source: bufferSource(bytes), open: () => Readable.from([bytes]),
  },
});
const failure = async (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (err) => (err instanceof AppError ? `${err.code}: ${err.message}` : String(err)));

/** Project records are keyed by request data (filenames); none of it may reach Object.prototype (protocols §16). */
describe('private project records keyed by filenames', () => {
  let store: InMemoryBlobStore;
  let pypi: PypiService;
  const wheel = makeWheel({ name: 'demo', version: '1.0.0' });
  const page = async () => JSON.parse((await pypi.projectPage('demo', 'json-v1')).body.toString()) as { files: Array<{ filename: string }> };

  beforeEach(async () => {
    store = new InMemoryBlobStore();
    pypi = createPypiService({
      store, upstream: undefined, logger: silentLogger, fileUrl: (p, f) => `/files/${p}/${f}`, simpleBase: '/simple/', metadataTtlMs: 1000,
      notFoundTtlMs: 0, mergeAllowlist: [], privateRecheckMs: 0, projectListRecheckMs: 0, metadataCacheBytes: 1024 * 1024, baseUrl: '',
    });
    await pypi.upload(valid(wheel.bytes, wheel.filename), alice);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('yanking or deleting a file named %s is a 404 and the page still renders', async (name) => {
    expect(await failure(pypi.setYanked('demo', name, 'bad', alice))).toMatch(/^not_found/);
    expect(await failure(pypi.deleteFile('demo', name, admin))).toMatch(/^not_found/);
    expect((await page()).files.map((f) => f.filename)).toEqual([wheel.filename]);
    expect(await failure(pypi.openFile({ project: 'demo', filename: name }))).toMatch(/^not_found/);
  });

  it.each(['../demo', 'a/b', '-demo-', ''])('management calls naming project %j are a 404 and write nothing', async (project) => {
    const keys = async () => { const all: string[] = []; for await (const k of store.list('')) all.push(k); return all.sort(); };
    const before = await keys();
    expect(await failure(pypi.setYanked(project, wheel.filename, 'x', admin))).toMatch(/^not_found/);
    expect(await failure(pypi.setProjectStatus(project, { status: 'archived' }, admin))).toMatch(/^not_found/);
    expect(await failure(pypi.deleteFile(project, wheel.filename, admin))).toMatch(/^not_found/);
    expect(await keys()).toEqual(before);
  });

  it('renders a page from a stored document holding a malformed record (written before this fix)', async () => {
    const key = storageKeys.privateProject('demo');
    const doc = JSON.parse((await store.getDocument(key))!.body.toString());
    doc.files.constructor = { yanked: 'bad' };
    await store.putDocument(key, Buffer.from(JSON.stringify(doc)), { contentType: 'application/json' });
    for (const format of ['html-legacy', 'json-v1', 'html-v1'] as const) await expect(pypi.projectPage('demo', format)).resolves.toBeDefined();
    expect((await page()).files.map((f) => f.filename)).toEqual([wheel.filename]);
  });

  it('refuses a filename differing only in case from a stored one, and a deleted filename in another case', async () => {
    const upper = makeWheel({ name: 'Demo', version: '1.0.0' });
    expect(upper.filename).not.toBe(wheel.filename);
    expect(await failure(pypi.upload(valid(upper.bytes, upper.filename), alice))).toBe(`conflict: File already exists ('${wheel.filename}', with sha256 hash '${wheel.sha256}').`);
    await pypi.deleteFile('demo', wheel.filename, admin);
    expect(await failure(pypi.upload(valid(upper.bytes, upper.filename), alice))).toMatch(/^invalid_request: This filename has already been used/);
    expect((await page()).files).toEqual([]);
  });

  it("refuses a wheel whose METADATA names another project or version (PEP 658 metadata must be the file's)", async () => {
    const wheelWith = (metadata: string) => zipStored([
      ['demo-2.0.0.dist-info/METADATA', Buffer.from(metadata)],
      ['demo-2.0.0.dist-info/WHEEL', Buffer.from('Wheel-Version: 1.0\n')],
    ]);
    const name = 'demo-2.0.0-py3-none-any.whl';
    const upload = (metadata: string) => failure(pypi.upload(valid(wheelWith(metadata), name, '2.0.0'), alice));
    expect(await upload('Metadata-Version: 2.1\nName: requests\nVersion: 2.0.0\n\n')).toMatch(/^invalid_request: .*names project "requests"/);
    expect(await upload('Metadata-Version: 2.1\nName: demo\nVersion: 9.9\n\n')).toMatch(/^invalid_request: .*names version "9.9"/);
    expect(await upload('Metadata-Version: 2.1\n\n')).toMatch(/^invalid_request: .*no Name or Version/);
    expect((await page()).files.map((f) => f.filename)).toEqual([wheel.filename]);
    expect(await upload('Metadata-Version: 2.1\nName: DEMO\nVersion: 2.0\n\n')).toMatch(/names version/);
    expect(await upload('Metadata-Version: 2.1\nName: De_Mo\nVersion: 2.0.0\n\n')).toMatch(/names project/);
    expect(await upload('Metadata-Version: 2.1\nName: DEMO\nVersion: v2.0.0\n\n')).toBe('ok');
  });
});

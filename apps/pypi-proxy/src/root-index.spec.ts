import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import type { BlobStore } from '@registry/storage-blob-store';
import { createFsBlobStore } from '@registry/storage-blob-store-fs';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { makeWheel } from '@registry/pypi-testing';
import { createHarness, type Harness } from './testing/harness';

const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json';
const RECHECK_MS = 60_000;

/**
 * The root page `/simple/` lists the local projects from memory (one store listing, then kept current): this
 * instance's uploads show at once, another instance's on the same store within PYPI_PROJECT_LIST_RECHECK_MS,
 * and a project removed from the store goes away within it. Each instance has its own clock, moved by the spec.
 */
describe.each([
  ['the in-memory store', async () => ({ stores: () => new InMemoryBlobStore() as BlobStore, done: async () => undefined })],
  ['the fs store (two processes on one directory)', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pypi-root-index-'));
    return { stores: () => createFsBlobStore({ root }) as BlobStore, done: () => rm(root, { recursive: true, force: true }) };
  }],
])('the root index on %s', (_label, makeStores) => {
  let shared: BlobStore | undefined;
  let done: () => Promise<unknown>;
  let instances: Array<{ harness: Harness; clock: { t: number } }>;
  let token: string;

  beforeEach(async () => {
    const made = await makeStores();
    done = made.done;
    // The in-memory store is one object shared by both instances; the fs store is one directory, two store objects.
    shared = made.stores();
    const storeFor = (i: number): BlobStore => (i === 0 || shared instanceof InMemoryBlobStore ? shared! : made.stores());
    instances = await Promise.all([0, 1].map(async (i) => {
      const clock = { t: 1_000_000 };
      const harness = await createHarness({
        store: storeFor(i), audit: new RecordingAuditClient(), now: () => clock.t, env: { PYPI_PROJECT_LIST_RECHECK_MS: String(RECHECK_MS) },
      });
      return { harness, clock };
    }));
    await instances[0]!.harness.identity.createUser({ name: 'alice', password: 'alice-password-123' });
    token = (await instances[0]!.harness.identity.createToken('alice')).secret;
  });
  afterEach(async () => {
    await Promise.all(instances.map((i) => i.harness.close()));
    await done();
  });

  const app = (i: number): Express => instances[i]!.harness.app;
  const listed = async (i: number): Promise<string[]> =>
    (JSON.parse((await request(app(i)).get('/simple/').set('Accept', JSON_ACCEPT).expect(200)).text).projects as Array<{ name: string }>).map((p) => p.name);
  const upload = async (i: number, project: string) => {
    const wheel = makeWheel({ name: project, version: '1.0.0' });
    await request(app(i)).post('/legacy/').set('Authorization', `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`)
      .field(':action', 'file_upload').field('protocol_version', '1').field('name', project).field('version', '1.0.0')
      .field('filetype', 'bdist_wheel').field('pyversion', 'py3').field('sha256_digest', wheel.sha256)
      .attach('content', wheel.bytes, { filename: wheel.filename, contentType: 'application/octet-stream' }).expect(200);
  };

  it("lists this instance's upload at once, and another instance's once the recheck bound has passed", async () => {
    await upload(0, 'alpha');
    expect(await listed(0)).toEqual(['alpha']);
    expect(await listed(1)).toEqual(['alpha']); // its first read lists the store
    await upload(0, 'beta');
    expect(await listed(0)).toEqual(['alpha', 'beta']);
    expect(await listed(1)).toEqual(['alpha']); // from memory: no store listing per request
    instances[1]!.clock.t += RECHECK_MS;
    expect(await listed(1)).toEqual(['alpha', 'beta']);
  });

  it('drops a project removed from the store within the bound, on every instance', async () => {
    await upload(0, 'alpha');
    await upload(0, 'gone');
    for (const i of [0, 1]) expect(await listed(i)).toEqual(['alpha', 'gone']);
    // An operator removes the project document (no API deletes a project): outside both instances.
    await shared!.delete('pypi/projects/gone.json');
    expect(await listed(0)).toEqual(['alpha', 'gone']);
    for (const instance of instances) instance.clock.t += RECHECK_MS;
    expect(await listed(0)).toEqual(['alpha']);
    expect(await listed(1)).toEqual(['alpha']);
  });

  it('serves the same bytes with one ETag until the names change, and 304 for it', async () => {
    await upload(0, 'alpha');
    const first = await request(app(0)).get('/simple/').set('Accept', JSON_ACCEPT).expect(200);
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"json-v1-/);
    await request(app(0)).get('/simple/').set('Accept', JSON_ACCEPT).set('If-None-Match', etag).expect(304);
    const html = await request(app(0)).get('/simple/').expect(200);
    expect(html.headers['etag']).not.toBe(etag);
    expect(html.text).toContain('<a href="/simple/alpha/">alpha</a>');
    await upload(0, 'beta');
    const changed = await request(app(0)).get('/simple/').set('Accept', JSON_ACCEPT).set('If-None-Match', etag).expect(200);
    expect(changed.headers['etag']).not.toBe(etag);
  });
});

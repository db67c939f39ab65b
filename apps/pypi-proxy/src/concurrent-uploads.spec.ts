import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { createFsBlobStore } from '@registry/storage-blob-store-fs';
import { makeWheel, sha256Hex, type BuiltDistribution } from '@registry/pypi-testing';
import { createHarness, type Harness } from './testing/harness';

const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json';
const PROJECT = 'parallel-release';
// One release built for many platforms: what `twine upload dist/*` sends, several files at once.
const wheels = Array.from({ length: 8 }, (_, i) => makeWheel({ name: PROJECT, version: `1.0.${i}` }));

/**
 * Parallel uploads of distinct files to ONE project (the benchmark found 409 "gave up … concurrent-modification
 * retries" with 4 in flight). On the real fs store, as in production: one instance, and two instances sharing it.
 */
describe('concurrent uploads of distinct files to one project', () => {
  let root: string;
  let harnesses: Harness[];
  let token: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pypi-concurrent-'));
    // Two stores over one directory behave as two processes: each has its own in-process locks.
    harnesses = await Promise.all([0, 1].map(() => createHarness({ store: createFsBlobStore({ root }), audit: new RecordingAuditClient() })));
    await harnesses[0]!.identity.createUser({ name: 'alice', password: 'alice-password-123' });
    token = (await harnesses[0]!.identity.createToken('alice')).secret;
  });
  afterEach(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
    await rm(root, { recursive: true, force: true });
  });

  const upload = (app: Express, dist: BuiltDistribution, version: string) => request(app).post('/legacy/')
    .set('Authorization', `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`)
    .field(':action', 'file_upload').field('protocol_version', '1').field('name', PROJECT).field('version', version)
    .field('filetype', 'bdist_wheel').field('pyversion', 'py3').field('sha256_digest', dist.sha256)
    .attach('content', dist.bytes, { filename: dist.filename, contentType: 'application/octet-stream' });

  /** Every wheel is listed with its own hash, and its bytes come back intact, through every instance. */
  async function expectAllListedAndIntact(): Promise<void> {
    for (const { app } of harnesses) {
      const page = JSON.parse((await request(app).get(`/simple/${PROJECT}/`).set('Accept', JSON_ACCEPT).expect(200)).text);
      const listed = page.files.map((f: { filename: string; hashes: { sha256: string } }) => [f.filename, f.hashes.sha256]).sort();
      expect(listed).toEqual(wheels.map((w) => [w.filename, w.sha256]).sort());
      for (const wheel of wheels) {
        const res = await request(app).get(`/files/${PROJECT}/${wheel.filename}`).buffer(true)
          .parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); })
          .expect(200);
        expect(sha256Hex(res.body as Buffer)).toBe(wheel.sha256);
      }
    }
  }

  it('accepts 8 parallel uploads through one instance, then 200 for identical and 409 for different bytes', async () => {
    const statuses = await Promise.all(wheels.map((w, i) => upload(harnesses[0]!.app, w, `1.0.${i}`).then((r) => r.status)));
    expect(statuses).toEqual(wheels.map(() => 200));
    await expectAllListedAndIntact();

    const impostor = makeWheel({ name: PROJECT, version: '1.0.0', requiresDist: ['other'] });
    const again = await Promise.all([
      upload(harnesses[0]!.app, wheels[0]!, '1.0.0'), upload(harnesses[0]!.app, wheels[1]!, '1.0.1'), upload(harnesses[0]!.app, impostor, '1.0.0'),
    ]);
    expect(again.map((r) => r.status)).toEqual([200, 200, 409]);
    expect(again[2]!.text).toContain('File already exists');
    await expectAllListedAndIntact();
  });

  it('accepts 8 parallel uploads split across two instances sharing one store (compare-and-swap between them)', async () => {
    const statuses = await Promise.all(wheels.map((w, i) => upload(harnesses[i % 2]!.app, w, `1.0.${i}`).then((r) => r.status)));
    expect(statuses).toEqual(wheels.map(() => 200));
    await expectAllListedAndIntact();
  });
});

import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { loadConfig } from '@registry/shared-config';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import {
  generateSigningKeyPem, keysDocumentEntry, loadSigningKey, parseKeysDocument, verifyRegistrySignatures, type BulkAdvisoryResponse, type Packument,
} from '@registry/npm-protocol';
import type { PrivateAdvisories } from '@registry/npm-service';
import { NpmProxyEnv } from './config';
import { buildTestApp, publishBody } from './testing/harness';

const SIGNING_PEM = generateSigningKeyPem();
const OUR_KEY = loadSigningKey(SIGNING_PEM);
const RETIRED = { ...keysDocumentEntry(loadSigningKey(generateSigningKeyPem())), expires: '2026-01-01T00:00:00.000Z' };
// Whitespace a re-serialization would lose: the proxy must pass these bytes on as they are.
const ATTESTATIONS = Buffer.from('{"attestations": [ {"predicateType": "https://slsa.dev/provenance/v1", "bundle": {"mediaType": "x"}} ]}\n');

/** Registry signatures, attestations and a leak-free audit through the proxy (protocols §5.2, §14, §15). */
describe('npm-proxy signatures, attestations and audit', () => {
  let upstream: FixtureRegistry;
  let app: Express;
  let token: string;
  const asked: Array<Record<string, string[]>> = [];
  const privateAdvisories: PrivateAdvisories = {
    bulk: async (req): Promise<BulkAdvisoryResponse> => {
      asked.push(req);
      return req['internal-lib'] ? { 'internal-lib': [{ id: 'LOCAL-1', title: 'internal advisory', severity: 'high', vulnerable_versions: '<2' }] } : {};
    },
  };

  beforeAll(async () => {
    upstream = await startFixtureRegistry({ signing: true });
  });
  afterAll(() => upstream.close());
  beforeEach(async () => {
    upstream.setPackage('left-pad', { '1.0.0': { tarball: randomBytes(200), attestations: ATTESTATIONS } });
    upstream.setPackage('lodash', { '4.0.0': { tarball: randomBytes(200) } });
    upstream.setPackage('never-fetched', { '1.0.0': { tarball: randomBytes(200) } });
    upstream.requests.length = 0;
    upstream.auditRequests.length = 0;
    asked.length = 0;
    app = await buildTestApp({
      store: new InMemoryBlobStore(), audit: new RecordingAuditClient(), upstreamUrl: upstream.url, privateAdvisories,
      env: { NPM_SIGNING_KEY: SIGNING_PEM.replace(/\n/g, '\\n'), NPM_RETIRED_SIGNING_KEYS: JSON.stringify([RETIRED]) },
    });
    const login = await request(app).put('/-/user/org.couchdb.user:alice')
      .send({ _id: 'org.couchdb.user:alice', name: 'alice', password: 'correct-horse-battery', type: 'user', roles: [] }).expect(201);
    token = login.body.token as string;
  });

  const publish = (name: string, version: string, extra: Record<string, unknown> = {}) =>
    request(app).put(`/${name.replace('/', '%2f')}`).set('authorization', `Bearer ${token}`).send(publishBody(name, version, randomBytes(64), extra));
  const packument = async (name: string) => (await request(app).get(`/${name.replace('/', '%2f')}`).set('host', 'proxy.test').expect(200)).body as Packument;

  it('serves the upstream keys followed by ours and the retired ones', async () => {
    const res = await request(app).get('/-/npm/v1/keys').expect(200);
    expect(res.body.keys).toEqual([...(upstream.keys!.keys), keysDocumentEntry(OUR_KEY), RETIRED]);
  });

  it('signs private versions at publish, drops client-sent signatures, and keeps upstream signatures: all verify against the served keys', async () => {
    await publish('internal-lib', '1.0.0', { dist: { signatures: [{ keyid: 'forged', sig: 'AAAA' }] } }).expect(201);
    const keys = parseKeysDocument((await request(app).get('/-/npm/v1/keys').expect(200)).body);
    const own = await packument('internal-lib');
    const signatures = own.versions['1.0.0']!.dist['signatures'] as Array<{ keyid: string }>;
    expect(signatures.map((s) => s.keyid)).toEqual([OUR_KEY.keyid]);
    expect(verifyRegistrySignatures(own.versions['1.0.0']!, keys, own.time?.['1.0.0'])).toEqual({ ok: true, verified: 1 });
    const up = await packument('lodash');
    expect(verifyRegistrySignatures(up.versions['4.0.0']!, keys, up.time?.['4.0.0'])).toEqual({ ok: true, verified: 1 });
    // The upstream's version keeps only its own signature: the proxy vouches for nothing it did not publish.
    expect((up.versions['4.0.0']!.dist['signatures'] as Array<{ keyid: string }>).map((s) => s.keyid)).toEqual([upstream.keys!.keys[0]!['keyid']]);

    upstream.setPackage('tampered', { '1.0.0': { tarball: randomBytes(100) } });
    upstream.tamperSignature('tampered', '1.0.0');
    const bad = await packument('tampered');
    expect(verifyRegistrySignatures(bad.versions['1.0.0']!, keys)).toMatchObject({ ok: false, code: 'EINTEGRITYSIGNATURE' });
  });

  it('points dist.attestations at this registry and proxies the document byte for byte, under a doubled prefix too', async () => {
    const doc = await packument('left-pad');
    expect(doc.versions['1.0.0']!.dist['attestations']).toEqual({
      url: 'http://proxy.test/-/npm/v1/attestations/left-pad@1.0.0', provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
    });
    const direct = Buffer.from(await (await fetch(`${upstream.url}/-/npm/v1/attestations/left-pad@1.0.0`)).arrayBuffer());
    expect(Buffer.compare(direct, ATTESTATIONS)).toBe(0);
    const before = upstream.requests.length;
    for (const path of ['/-/npm/v1/attestations/left-pad@1.0.0', '/npm/-/npm/v1/attestations/left-pad@1.0.0']) {
      const res = await request(app).get(path).expect(200);
      expect(Buffer.compare(Buffer.from(res.text), direct)).toBe(0);
    }
    // Fetched once, then cached like every upstream document.
    expect(upstream.requests.slice(before).filter((r) => r.includes('/attestations/'))).toHaveLength(1);
    await request(app).get('/-/npm/v1/attestations/lodash@4.0.0').expect(404);
    await request(app).get('/-/npm/v1/attestations/nonsense').expect(404);
  });

  it('never asks the upstream about attestations of private names or private scopes', async () => {
    await publish('@private/thing', '1.0.0').expect(201);
    await request(app).get('/-/npm/v1/attestations/@private%2fthing@1.0.0').expect(404);
    await request(app).get('/-/npm/v1/attestations/@private/other@1.0.0').expect(404);
    expect(upstream.requests.filter((r) => r.includes('@private'))).toEqual([]);
  });

  it('sends the upstream only the audited packages it is known to serve, and merges the local advisories', async () => {
    upstream.setAdvisories('lodash', [{ id: 1, title: 'prototype pollution', severity: 'high', vulnerable_versions: '<4.17.21' }]);
    await publish('internal-lib', '1.0.0').expect(201);
    await publish('@private/thing', '1.0.0').expect(201);
    await packument('lodash');
    const res = await request(app).post('/-/npm/v1/security/advisories/bulk')
      .send({ lodash: ['4.0.0'], 'internal-lib': ['1.0.0'], '@private/thing': ['1.0.0'], 'never-fetched': ['1.0.0'], '@other-registry/x': ['1.0.0'] }).expect(200);
    expect(upstream.auditRequests).toEqual([{ lodash: ['4.0.0'] }]);
    expect(asked).toEqual([{ 'internal-lib': ['1.0.0'], '@private/thing': ['1.0.0'], 'never-fetched': ['1.0.0'], '@other-registry/x': ['1.0.0'] }]);
    expect(res.body).toEqual({
      lodash: [{ id: 1, title: 'prototype pollution', severity: 'high', vulnerable_versions: '<4.17.21' }],
      'internal-lib': [{ id: 'LOCAL-1', title: 'internal advisory', severity: 'high', vulnerable_versions: '<2' }],
    });
    await request(app).post('/-/npm/v1/security/advisories/bulk').send({ lodash: 'not a list' }).expect(400);
  });

  it('filters the legacy audit tree the same way and hides the project name', async () => {
    await publish('internal-lib', '1.0.0').expect(201);
    await packument('lodash');
    await request(app).post('/-/npm/v1/security/audits/quick').send({
      name: 'secret-app', version: '1.0.0', requires: { lodash: '^4.0.0', 'internal-lib': '^1.0.0' },
      dependencies: { lodash: { version: '4.0.0' }, 'internal-lib': { version: '1.0.0', requires: { lodash: '^4' }, dependencies: { 'never-fetched': { version: '1.0.0' } } } },
    }).expect(200);
    expect(upstream.auditRequests).toEqual([{ name: 'npm-audit-request', version: '0.0.0', requires: { lodash: '^4.0.0' }, dependencies: { lodash: { version: '4.0.0' } } }]);
  });
});

describe('npm signing configuration', () => {
  it('refuses a key that is not an ECDSA P-256 PEM, without echoing it', () => {
    expect(() => loadConfig(NpmProxyEnv, { NPM_SIGNING_KEY: 'not-a-pem-secret' })).toThrow(/NPM_SIGNING_KEY/);
    expect(() => loadConfig(NpmProxyEnv, { NPM_SIGNING_KEY: 'not-a-pem-secret' })).not.toThrow(/not-a-pem-secret/);
  });

  it('refuses retired keys without an expiry', () => {
    const entry = { ...keysDocumentEntry(OUR_KEY), expires: null };
    expect(() => loadConfig(NpmProxyEnv, { NPM_RETIRED_SIGNING_KEYS: JSON.stringify([entry]) })).toThrow(/NPM_RETIRED_SIGNING_KEYS/);
  });
});


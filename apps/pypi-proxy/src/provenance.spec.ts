import request from 'supertest';
import { makeAttestation, makeProvenance, makeWheel, SLSA_PREDICATE, type BuiltDistribution } from '@registry/pypi-testing';
import { startHarness, type TestHarness } from './testing/harness';

const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json';
const INTEGRITY_TYPE = 'application/vnd.pypi.integrity.v1+json';
const PUBLIC_URL = 'https://pypi.internal.example';
const wheel = makeWheel({ name: 'attested', version: '1.0.0' });
const plain = makeWheel({ name: 'attested', version: '1.1.0' });
const upstreamWheel = makeWheel({ name: 'signedpkg', version: '2.0.0' });
// Whitespace and key order a re-serialization would lose: the proxy must pass these bytes on as they are.
const upstreamProvenance = Buffer.from(`{"version": 1,  "attestation_bundles": ${JSON.stringify(makeProvenance([makeAttestation(upstreamWheel)]).attestation_bundles, null, 1)}}\n`);

/** PEP 740 provenance and PEP 792 project status through the proxy (protocols §11, §12). */
describe('provenance and project status', () => {
  let harness: TestHarness;
  let token: string;

  beforeEach(async () => {
    harness = await startHarness({ env: { PYPI_PUBLIC_URL: PUBLIC_URL } });
    await harness.identity.ensureAdmin('admin', 'admin-password-123');
    token = await harness.userToken('alice', 'alice-password-123');
    await harness.identity.createUser({ name: 'mallory', password: 'mallory-password-123' });
  });
  afterEach(() => harness.close());

  const basic = (credentials: string) => ({ Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });
  const upload = (dist: BuiltDistribution, version: string, attestations?: string) => {
    const req = request(harness.app).post('/legacy/').set(basic(`__token__:${token}`))
      .field(':action', 'file_upload').field('protocol_version', '1').field('name', 'attested').field('version', version)
      .field('filetype', 'bdist_wheel').field('pyversion', 'py3').field('sha256_digest', dist.sha256);
    if (attestations !== undefined) req.field('attestations', attestations);
    return req.attach('content', dist.bytes, { filename: dist.filename });
  };
  const page = async (name: string) => JSON.parse((await request(harness.app).get(`/simple/${name}/`).set('Accept', JSON_ACCEPT).expect(200)).text);
  const integrity = (path: string) => request(harness.app).get(path).set('Accept', INTEGRITY_TYPE);

  it('keeps the attestations of an upload and serves them through the Integrity API, linked from the page', async () => {
    const attestations = [makeAttestation(wheel), makeAttestation(wheel, SLSA_PREDICATE)];
    await upload(wheel, '1.0.0', JSON.stringify(attestations)).expect(200);
    await upload(plain, '1.1.0').expect(200);
    const { meta, files } = await page('attested');
    expect(meta['api-version']).toBe('1.3');
    const path = `/integrity/attested/1.0.0/${wheel.filename}/provenance`;
    expect(files.map((f: { filename: string; provenance: unknown }) => [f.filename, f.provenance])).toEqual([
      [wheel.filename, `${PUBLIC_URL}${path}`], [plain.filename, null],
    ]);
    const html = await request(harness.app).get('/simple/attested/').set('Accept', 'text/html').expect(200);
    expect(html.text).toContain(`data-provenance="${PUBLIC_URL}${path}"`);

    const res = await integrity(path).expect(200);
    expect(res.headers['content-type']).toBe(INTEGRITY_TYPE);
    expect(JSON.parse(res.text)).toEqual({ version: 1, attestation_bundles: [{ publisher: { kind: 'registry-upload', claims: { uploader: 'alice' } }, attestations }] });
    await integrity(`/integrity/attested/1.1.0/${plain.filename}/provenance`).expect(404);
    await integrity(`/integrity/attested/9.9.9/${wheel.filename}/provenance`).expect(404);
  });

  it.each([
    ['not JSON', 'nope'],
    ['an empty list', '[]'],
    ['an attestation about another file', JSON.stringify([makeAttestation(plain)])],
    ['an attestation with another digest', JSON.stringify([makeAttestation({ filename: wheel.filename, sha256: 'ab'.repeat(32) })])],
    ['two attestations of one kind', JSON.stringify([makeAttestation(wheel), makeAttestation(wheel)])],
  ])('refuses an upload whose attestations are %s with 400 and stores nothing', async (_what, field) => {
    const res = await upload(wheel, '1.0.0', field).expect(400);
    expect(res.text).toContain('invalid attestations');
    expect(await harness.store.getDocument('pypi/projects/attested.json')).toBeUndefined();
  });

  it('negotiates the Integrity API as the upstream does: its two JSON types, else 406 with its body', async () => {
    await upload(wheel, '1.0.0', JSON.stringify([makeAttestation(wheel)])).expect(200);
    const path = `/integrity/attested/1.0.0/${wheel.filename}/provenance`;
    expect((await request(harness.app).get(path).expect(200)).headers['content-type']).toBe(INTEGRITY_TYPE);
    expect((await request(harness.app).get(path).set('Accept', 'application/json').expect(200)).headers['content-type']).toMatch(/^application\/json/);
    const refused = await request(harness.app).get(path).set('Accept', 'text/html').expect(406);
    expect(refused.body).toEqual({ message: 'Request not acceptable' });
  });

  it('rewrites upstream provenance URLs to this proxy and proxies the Integrity API byte for byte, cached', async () => {
    const foreign = makeWheel({ name: 'signedpkg', version: '1.0.0' });
    harness.upstream.setProject('signedpkg', [
      { filename: upstreamWheel.filename, bytes: upstreamWheel.bytes, provenance: upstreamProvenance },
      { filename: foreign.filename, bytes: foreign.bytes, provenance: upstreamProvenance, foreignProvenance: true },
    ]);
    const { files } = await page('signedpkg');
    const path = `/integrity/signedpkg/2.0.0/${upstreamWheel.filename}/provenance`;
    expect(files.find((f: { filename: string }) => f.filename === upstreamWheel.filename).provenance).toBe(`${PUBLIC_URL}${path}`);
    const direct = await fetch(`${new URL(harness.upstream.indexUrl).origin}${path}`);
    const expected = Buffer.from(await direct.arrayBuffer());
    expect(Buffer.compare(expected, upstreamProvenance)).toBe(0);

    const first = await integrity(path).expect(200);
    expect(Buffer.compare(Buffer.from(first.text), expected)).toBe(0);
    const before = harness.upstream.requests.length;
    const second = await integrity(path).expect(200);
    expect(Buffer.compare(Buffer.from(second.text), expected)).toBe(0);
    expect(harness.upstream.requests.length).toBe(before);
    // A provenance URL on a host the proxy is not configured for is never followed.
    await integrity(`/integrity/signedpkg/1.0.0/${foreign.filename}/provenance`).expect(404);
    expect(harness.upstream.requests.filter((r) => r.includes(`/integrity/signedpkg/1.0.0/`))).toEqual([]);
  });

  it('passes the upstream project status through in JSON and HTML, and hides a quarantined project\'s files', async () => {
    harness.upstream.setProject('signedpkg', [{ filename: upstreamWheel.filename, bytes: upstreamWheel.bytes }]);
    harness.upstream.setProjectStatus('signedpkg', { status: 'deprecated', reason: 'use other <pkg>' });
    const json = await page('signedpkg');
    expect(json['project-status']).toEqual({ status: 'deprecated', reason: 'use other <pkg>' });
    expect(json.meta['api-version']).toBe('1.4');
    const html = await request(harness.app).get('/simple/signedpkg/').set('Accept', 'text/html').expect(200);
    expect(html.text).toContain('<meta name="pypi:project-status" content="deprecated">');
    expect(html.text).toContain('<meta name="pypi:project-status-reason" content="use other &lt;pkg&gt;">');

    const other = makeWheel({ name: 'badpkg', version: '1.0.0' });
    harness.upstream.setProject('badpkg', [{ filename: other.filename, bytes: other.bytes }]);
    harness.upstream.setProjectStatus('badpkg', { status: 'quarantined' });
    expect(await page('badpkg')).toMatchObject({ 'project-status': { status: 'quarantined' }, files: [], versions: [] });
    await request(harness.app).get(`/files/badpkg/${other.filename}`).expect(404);
  });

  it('lets owners set a private project status: archived refuses uploads, quarantined hides files, others may not', async () => {
    await upload(wheel, '1.0.0', JSON.stringify([makeAttestation(wheel)])).expect(200);
    const setStatus = (body: unknown, credentials = `__token__:${token}`) =>
      request(harness.app).put('/-/api/pypi/attested/status').set(basic(credentials)).send(body as object);
    await setStatus({ status: 'archived' }, 'mallory:mallory-password-123').expect(403);
    await setStatus({ status: 'gone' }).expect(400);
    await setStatus({ status: 'archived', reason: 'moved', extra: 1 }).expect(400);
    await request(harness.app).put('/-/api/pypi/nosuch/status').set(basic(`__token__:${token}`)).send({ status: 'archived' }).expect(404);

    expect((await setStatus({ status: 'archived', reason: 'moved to attested2' }).expect(200)).body).toEqual({ 'project-status': { status: 'archived', reason: 'moved to attested2' } });
    expect(await page('attested')).toMatchObject({ 'project-status': { status: 'archived', reason: 'moved to attested2' }, files: [{ filename: wheel.filename }] });
    expect((await upload(plain, '1.1.0').expect(400)).text).toContain('archived');

    await setStatus({ status: 'quarantined' }, 'admin:admin-password-123').expect(200);
    expect(await page('attested')).toMatchObject({ files: [], versions: [] });
    await request(harness.app).get(`/files/attested/${wheel.filename}`).expect(404);
    await integrity(`/integrity/attested/1.0.0/${wheel.filename}/provenance`).expect(404);

    await setStatus({ status: 'deprecated' }).expect(200);
    expect(await page('attested')).toMatchObject({ 'project-status': { status: 'deprecated' }, files: [{ filename: wheel.filename }] });
    await upload(plain, '1.1.0').expect(200);
  });
});


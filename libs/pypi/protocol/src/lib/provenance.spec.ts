import path from 'node:path';
import { loadRecordedFixtures } from '@registry/shared-testing';
import { parseUploadAttestations } from './attestations';
import { parseUpstreamPage } from './parse-upstream-page';
import type { ProjectPage } from './project-page';
import {
  buildProvenance, integrityProvenancePath, isProvenance, negotiateIntegrityFormat, parseIntegrityProvenancePath, proxiedProvenanceUrl,
} from './provenance';
import { proxiedUpstreamFile } from './proxied-file';
import { renderProjectHtml, renderProjectJson } from './render-project-page';

const SHA = 'ab'.repeat(32);
const b64 = (text: string) => Buffer.from(text).toString('base64');
const ATTESTATION = {
  version: 1,
  verification_material: { certificate: Buffer.from([0x30, 0x82, 0x01]).toString('base64'), transparency_entries: [{ logIndex: '1' }] },
  envelope: {
    statement: b64(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'acme-1.0.tar.gz', digest: { sha256: SHA } }], predicateType: 'https://docs.pypi.org/attestations/publish/v1' })),
    signature: b64('sig'),
  },
};
const INDEX = 'https://index.invalid';

describe('PEP 740 Integrity API', () => {
  it('builds and parses /integrity/<project>/<version>/<filename>/provenance, encoding each segment', () => {
    const loc = { project: 'acme', version: '1.0+local.7', filename: 'acme-1.0+local.7.tar.gz' };
    const p = integrityProvenancePath(loc);
    expect(p).toBe('/integrity/acme/1.0%2Blocal.7/acme-1.0%2Blocal.7.tar.gz/provenance');
    expect(parseIntegrityProvenancePath(p)).toEqual(loc);
    expect(parseIntegrityProvenancePath(`/prefix${p}`)).toEqual(loc);
  });

  it.each(['/integrity/acme/1.0/provenance', '/integrity/acme/1.0/a%2Fb.tar.gz/provenance', '/integrity/acme/%2E%2E/a.tar.gz/provenance', '/integrity/acme/1.0/%E0%A4%A/provenance'])(
    'refuses %s', (p) => expect(parseIntegrityProvenancePath(p)).toBeUndefined(),
  );

  it('negotiates JSON as the upstream does: its own type first, plain JSON, and 406 for anything else', () => {
    expect(negotiateIntegrityFormat(undefined)).toBe('application/vnd.pypi.integrity.v1+json');
    expect(negotiateIntegrityFormat('*/*')).toBe('application/vnd.pypi.integrity.v1+json');
    expect(negotiateIntegrityFormat('application/json')).toBe('application/json');
    expect(negotiateIntegrityFormat('application/json, application/vnd.pypi.integrity.v1+json;q=0.5')).toBe('application/json');
    expect(negotiateIntegrityFormat('text/html')).toBeUndefined();
  });

  it('moves a provenance URL to our Integrity API, taking the release version from the upstream URL', () => {
    const upstream = 'https://pypi-index.upstream.invalid/integrity/numpy/1.10.0/numpy-1.10.0.post2.tar.gz/provenance';
    expect(proxiedProvenanceUrl(upstream, 'numpy', 'numpy-1.10.0.post2.tar.gz', `${INDEX}/pypi/`)).toBe(
      `${INDEX}/pypi/integrity/numpy/1.10.0/numpy-1.10.0.post2.tar.gz/provenance`,
    );
    // Another URL layout: the version comes from the filename.
    expect(proxiedProvenanceUrl('https://elsewhere.invalid/p/x.json', 'numpy', 'numpy-2.0.0.tar.gz', INDEX)).toBe(`${INDEX}/integrity/numpy/2.0.0/numpy-2.0.0.tar.gz/provenance`);
    expect(proxiedProvenanceUrl('not a url', 'numpy', 'numpy-2.0.0.tar.gz', INDEX)).toBeUndefined();
    expect(proxiedProvenanceUrl('https://elsewhere.invalid/p', 'numpy', 'README', INDEX)).toBeUndefined();
  });

  it('wraps uploaded attestations in a provenance object that checks as well formed', () => {
    const attestations = parseUploadAttestations(JSON.stringify([ATTESTATION]), { filename: 'acme-1.0.tar.gz', sha256: SHA });
    const provenance = buildProvenance(attestations, { kind: 'registry-upload', claims: { uploader: 'alice' } });
    expect(provenance).toEqual({ version: 1, attestation_bundles: [{ publisher: { kind: 'registry-upload', claims: { uploader: 'alice' } }, attestations: [ATTESTATION] }] });
    expect(isProvenance(JSON.parse(JSON.stringify(provenance)))).toBe(true);
  });

  it.each([
    ['version 2', { version: 2, attestation_bundles: [] }],
    ['no bundles', { version: 1, attestation_bundles: [] }],
    ['a publisher without kind', { version: 1, attestation_bundles: [{ publisher: { claims: null }, attestations: [ATTESTATION] }] }],
    ['claims that are a string', { version: 1, attestation_bundles: [{ publisher: { kind: 'GitHub', claims: 'x' }, attestations: [ATTESTATION] }] }],
    ['a bundle without attestations', { version: 1, attestation_bundles: [{ publisher: { kind: 'GitHub', claims: null }, attestations: [] }] }],
    ['a malformed attestation', { version: 1, attestation_bundles: [{ publisher: { kind: 'GitHub', claims: null }, attestations: [{ version: 1 }] }] }],
    ['an array', []],
  ])('says a provenance object with %s is not well formed', (_what, doc) => {
    expect(isProvenance(doc)).toBe(false);
  });
});

describe('provenance in simple pages (API 1.3)', () => {
  const upstreamJson = JSON.stringify({
    meta: { 'api-version': '1.3' },
    name: 'acme',
    versions: ['1.0'],
    files: [
      { filename: 'acme-1.0.tar.gz', url: '/f/acme-1.0.tar.gz', hashes: { sha256: SHA }, provenance: 'https://up.invalid/integrity/acme/1.0/acme-1.0.tar.gz/provenance' },
      { filename: 'acme-1.0-py3-none-any.whl', url: '/f/acme-1.0-py3-none-any.whl', hashes: { sha256: SHA }, provenance: null },
    ],
  });

  it('reads `provenance` from JSON and `data-provenance` from HTML, and keeps an explicit null', () => {
    const page = parseUpstreamPage(upstreamJson, 'application/vnd.pypi.simple.v1+json', 'https://up.invalid/simple/acme/', 'acme');
    expect(page.files.map((f) => f.provenance)).toEqual(['https://up.invalid/integrity/acme/1.0/acme-1.0.tar.gz/provenance', null]);
    const html = renderProjectHtml(page);
    expect(html).toContain('data-provenance="https://up.invalid/integrity/acme/1.0/acme-1.0.tar.gz/provenance"');
    expect(html).toContain('<meta name="pypi:repository-version" content="1.3">');
    const again = parseUpstreamPage(html, 'text/html', 'https://up.invalid/simple/acme/', 'acme');
    expect(again.files.map((f) => f.provenance)).toEqual(['https://up.invalid/integrity/acme/1.0/acme-1.0.tar.gz/provenance', undefined]);
  });

  it('renders our rewritten URL and null, and advertises API 1.3', () => {
    const page = parseUpstreamPage(upstreamJson, 'application/vnd.pypi.simple.v1+json', 'https://up.invalid/simple/acme/', 'acme');
    const ours: ProjectPage = { ...page, files: page.files.map((f) => proxiedUpstreamFile(f, { project: 'acme', fileUrl: `/files/acme/${f.filename}`, baseUrl: INDEX })) };
    const json = JSON.parse(renderProjectJson(ours)) as { meta: Record<string, unknown>; files: Array<Record<string, unknown>> };
    expect(json.meta['api-version']).toBe('1.3');
    expect(json.files.map((f) => f['provenance'])).toEqual([`${INDEX}/integrity/acme/1.0/acme-1.0.tar.gz/provenance`, null]);
  });

  it('the recorded upstream serves no provenance for a project that has it on the public index, and no Integrity API', () => {
    const recorded = loadRecordedFixtures(path.join(__dirname, '../__fixtures__/recorded'));
    expect(recorded.body('sampleproject.v1')).not.toContain('provenance');
    expect(recorded.exchange('sampleproject-4.0.0.tar.gz.provenance').status).toBe(404);
  });
});

import type { DistributionFile } from './project-page';
import { proxiedUpstreamFile } from './proxied-file';

const SHA = 'ab'.repeat(32);
const META = 'cd'.repeat(32);
const base: DistributionFile = {
  filename: 'acme-1.0-py3-none-any.whl', url: 'https://files.invalid/a.whl', hashes: { sha256: SHA, md5: '00' }, requiresPython: '>=3.9', size: 10,
  uploadTime: '2026-01-01T00:00:00Z', yanked: false,
};
const proxied = (over: Partial<DistributionFile>) => proxiedUpstreamFile({ ...base, ...over }, { project: 'acme', fileUrl: '/files/acme/a.whl', baseUrl: 'https://us.invalid' });

describe('an upstream file as we offer it', () => {
  it('moves to our URL with its sha256 and keeps the rest as upstream said', () => {
    expect(proxied({})).toEqual({ ...base, url: '/files/acme/a.whl', hashes: { sha256: SHA } });
  });

  it.each([
    ['said nothing', undefined, undefined],
    ['said false', false, false],
    ['said true (no hash to verify against)', true, undefined],
    ['gave only an md5', { md5: '00' }, undefined],
    ['gave a sha256', { sha256: META, md5: '00' }, { sha256: META }],
  ])('metadata: upstream %s → %j', (_what, coreMetadata, expected) => {
    const file = proxied(coreMetadata === undefined ? {} : { coreMetadata });
    expect(file.coreMetadata).toEqual(expected);
    expect('coreMetadata' in file).toBe(expected !== undefined);
  });

  it('provenance: absent stays absent, null stays null, a URL moves to our Integrity API', () => {
    expect('provenance' in proxied({})).toBe(false);
    expect(proxied({ provenance: null }).provenance).toBeNull();
    expect(proxied({ provenance: 'https://up.invalid/integrity/acme/1.0/acme-1.0-py3-none-any.whl/provenance' }).provenance).toBe(
      'https://us.invalid/integrity/acme/1.0/acme-1.0-py3-none-any.whl/provenance',
    );
  });
});

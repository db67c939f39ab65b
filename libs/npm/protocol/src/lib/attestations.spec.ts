import { attestationsPath, parseAttestationsPath, withAttestationsUrl } from './attestations';
import type { VersionManifest } from './packument';

const PROVENANCE = { predicateType: 'https://slsa.dev/provenance/v1' };
const manifest = (name: string, version: string, attestations?: unknown): VersionManifest => ({
  name, version, dist: { tarball: 't', integrity: 'sha512-x', ...(attestations === undefined ? {} : { attestations }) },
});

describe('npm attestations', () => {
  it('builds the attestations path, scoped names with an encoded slash', () => {
    expect(attestationsPath('sigstore', '1.0.0')).toBe('/-/npm/v1/attestations/sigstore@1.0.0');
    expect(attestationsPath('@sigstore/sign', '3.0.0-rc.1')).toBe('/-/npm/v1/attestations/@sigstore%2Fsign@3.0.0-rc.1');
  });

  it.each([
    ['/-/npm/v1/attestations/sigstore@1.0.0', { name: 'sigstore', version: '1.0.0' }],
    ['/-/npm/v1/attestations/@sigstore%2fsign@3.0.0', { name: '@sigstore/sign', version: '3.0.0' }],
    ['/-/npm/v1/attestations/@sigstore%2Fsign@3.0.0', { name: '@sigstore/sign', version: '3.0.0' }],
    ['/-/npm/v1/attestations/@sigstore/sign@3.0.0', { name: '@sigstore/sign', version: '3.0.0' }],
    ['/npm/-/npm/v1/attestations/a@1.0.0', { name: 'a', version: '1.0.0' }],
  ])('reads %s', (p, expected) => expect(parseAttestationsPath(p)).toEqual(expected));

  it.each(['/-/npm/v1/attestations/', '/-/npm/v1/attestations/@1.0.0', '/-/npm/v1/attestations/a', '/-/npm/v1/attestations/a@', '/-/npm/v1/attestations/a@1/../x',
    '/-/npm/v1/attestations/%E0%A4%A@1', '/-/npm/v1/attestations/..%2f..@1', '/other/a@1'])('refuses %s', (p) => expect(parseAttestationsPath(p)).toBeUndefined());

  it('points dist.attestations.url at this registry and keeps provenance', () => {
    const upstream = manifest('@sigstore/sign', '3.0.0', { url: 'https://npm-registry.upstream.invalid/-/npm/v1/attestations/@sigstore%2fsign@3.0.0', provenance: PROVENANCE });
    const ours = withAttestationsUrl(upstream, 'http://us.invalid:4873/');
    expect(ours.dist['attestations']).toEqual({ url: 'http://us.invalid:4873/-/npm/v1/attestations/@sigstore%2Fsign@3.0.0', provenance: PROVENANCE });
    expect(upstream.dist['attestations']).toMatchObject({ url: expect.stringContaining('upstream.invalid') });
    // npm fetches `<registry> + <pathname of the URL>`, so the path is what matters to it.
    expect(parseAttestationsPath(new URL((ours.dist['attestations'] as { url: string }).url).pathname)).toEqual({ name: '@sigstore/sign', version: '3.0.0' });
  });

  it('leaves a manifest without attestations untouched', () => {
    const plain = manifest('a', '1.0.0');
    expect(withAttestationsUrl(plain, 'http://us.invalid')).toBe(plain);
    const odd = manifest('a', '1.0.0', 'not an object');
    expect(withAttestationsUrl(odd, 'http://us.invalid')).toBe(odd);
  });
});

import { generateKeyPairSync, verify } from 'node:crypto';
import type { VersionManifest } from './packument';
import { parsePublishBody } from './publish-body';
import { mergeKeysDocuments, parseKeysDocument, pemOfKeyEntry, registryKeyId, type RegistryKeyEntry } from './registry-keys';
import {
  generateSigningKeyPem, keysDocumentEntry, loadSigningKey, signatureMessage, signVersion, verifyRegistrySignatures, withoutRegistryAssertions,
} from './registry-signatures';

/**
 * A known answer from the public registry: its 2023 signing key as its keys document lists it, and its
 * registry signature of sigstore@1.0.0 (the values npm's own `audit signatures` tests use).
 */
const PUBLIC_KEY: RegistryKeyEntry = {
  expires: null,
  keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA',
  keytype: 'ecdsa-sha2-nistp256',
  scheme: 'ecdsa-sha2-nistp256',
  key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1Olb3zMAFFxXKHiIkQO5cJ3Yhl5i6UPp+IhuteBJbuHcA5UogKo0EWtlWwW6KSaKoTNEYL7JlCQiVnkhBktUgg==',
};
const PUBLIC_SIGNED: VersionManifest = {
  name: 'sigstore',
  version: '1.0.0',
  dist: {
    tarball: 'https://registry.invalid/sigstore/-/sigstore-1.0.0.tgz',
    integrity: 'sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg==',
    signatures: [{ keyid: PUBLIC_KEY.keyid, sig: 'MEQCIBlpcHT68iWOpx8pJr3WUzD1EqQ7tb0CmY36ebbceR6IAiAVGRaxrFoyh0/5B7H1o4VFhfsHw9F8G+AxOZQq87q+lg==' }],
  },
};

const ourKey = loadSigningKey(generateSigningKeyPem());
const manifest = (over: Partial<VersionManifest> = {}): VersionManifest => ({
  name: '@acme/widget', version: '1.2.0', dist: { tarball: 'http://us.invalid/@acme/widget/-/widget-1.2.0.tgz', integrity: 'sha512-' + 'A'.repeat(86) + '==' }, ...over,
});

describe('the public registry\'s own signatures (known answers)', () => {
  it('derives its key id from the key as the registry does (SSH SHA256 fingerprint)', () => {
    expect(registryKeyId(Buffer.from(PUBLIC_KEY.key, 'base64'))).toBe(PUBLIC_KEY.keyid);
  });

  it('verifies its signature over name@version:integrity, and fails a tampered one', () => {
    expect(verifyRegistrySignatures(PUBLIC_SIGNED, [PUBLIC_KEY])).toEqual({ ok: true, verified: 1 });
    const otherIntegrity = { ...PUBLIC_SIGNED, dist: { ...PUBLIC_SIGNED.dist, integrity: PUBLIC_SIGNED.dist.integrity!.replace('e+q', 'e+r') } };
    expect(verifyRegistrySignatures(otherIntegrity, [PUBLIC_KEY])).toMatchObject({ ok: false, code: 'EINTEGRITYSIGNATURE' });
    expect(verifyRegistrySignatures({ ...PUBLIC_SIGNED, version: '1.0.1' }, [PUBLIC_KEY])).toMatchObject({ ok: false, code: 'EINTEGRITYSIGNATURE' });
  });
});

describe('our signing key', () => {
  it('is an ECDSA P-256 key with a registry-style key id and keys document entry, private part out of JSON', () => {
    expect(ourKey.keyid).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keysDocumentEntry(ourKey)).toEqual({ expires: null, keyid: ourKey.keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: ourKey.publicKey });
    expect(registryKeyId(Buffer.from(ourKey.publicKey, 'base64'))).toBe(ourKey.keyid);
    expect(JSON.stringify(ourKey)).not.toMatch(/PRIVATE|privateKey/);
  });

  it('signs exactly the bytes name@version:integrity, DER base64, verifiable with node:crypto and the keys document PEM', () => {
    const signed = signVersion(manifest(), [ourKey]);
    const [signature] = signed.dist['signatures'] as Array<{ keyid: string; sig: string }>;
    expect(signature!.keyid).toBe(ourKey.keyid);
    const message = Buffer.from(signatureMessage('@acme/widget', '1.2.0', manifest().dist.integrity!));
    expect(message.toString()).toBe(`@acme/widget@1.2.0:${manifest().dist.integrity}`);
    const pem = pemOfKeyEntry(keysDocumentEntry(ourKey));
    expect(verify('sha256', message, pem, Buffer.from(signature!.sig, 'base64'))).toBe(true);
    const tampered = Buffer.from(signature!.sig, 'base64');
    tampered[tampered.length - 1]! ^= 0x01;
    expect(verify('sha256', message, pem, tampered)).toBe(false);
  });

  it('passes npm\'s checks, and each of npm\'s failures happens where npm would fail', () => {
    const keys = [keysDocumentEntry(ourKey)];
    const signed = signVersion(manifest(), [ourKey]);
    expect(verifyRegistrySignatures(signed, keys, '2026-01-01T00:00:00.000Z')).toEqual({ ok: true, verified: 1 });
    // A well-formed signature, but made by another key over another message.
    const [foreign] = PUBLIC_SIGNED.dist['signatures'] as Array<{ sig: string }>;
    const bad = { ...signed, dist: { ...signed.dist, signatures: [{ keyid: ourKey.keyid, sig: foreign!.sig }] } };
    expect(verifyRegistrySignatures(bad, keys)).toMatchObject({ ok: false, code: 'EINTEGRITYSIGNATURE' });
    const garbled = { ...signed, dist: { ...signed.dist, signatures: [{ keyid: ourKey.keyid, sig: 'bogus' }] } };
    expect(verifyRegistrySignatures(garbled, keys)).toMatchObject({ ok: false, code: 'EINTEGRITYSIGNATURE' });
    expect(verifyRegistrySignatures(signed, [PUBLIC_KEY])).toMatchObject({ ok: false, code: 'EMISSINGSIGNATUREKEY', keyid: ourKey.keyid });
    const expiring = [{ ...keys[0]!, expires: '2026-06-01T00:00:00.000Z' }];
    expect(verifyRegistrySignatures(signed, expiring, '2026-05-31T00:00:00.000Z')).toMatchObject({ ok: true });
    expect(verifyRegistrySignatures(signed, expiring, '2026-06-02T00:00:00.000Z')).toMatchObject({ ok: false, code: 'EEXPIREDSIGNATUREKEY' });
  });

  it('replaces any other signature (npm needs every listed one to verify) and signs with each key during a rotation', () => {
    const next = loadSigningKey(generateSigningKeyPem(), '2027-01-01T00:00:00.000Z');
    const signed = signVersion({ ...manifest(), dist: { ...manifest().dist, signatures: [{ keyid: 'SHA256:forged', sig: 'x' }] } }, [ourKey, next]);
    expect((signed.dist['signatures'] as Array<{ keyid: string }>).map((s) => s.keyid)).toEqual([ourKey.keyid, next.keyid]);
    expect(verifyRegistrySignatures(signed, [keysDocumentEntry(ourKey), keysDocumentEntry(next)])).toEqual({ ok: true, verified: 2 });
  });

  it('signs a shasum-only version over sha1-<base64>, as npm checks it, and refuses a version without digest', () => {
    const shasum = 'a'.repeat(40);
    const signed = signVersion(manifest({ dist: { tarball: 't', shasum } }), [ourKey]);
    expect(verifyRegistrySignatures(signed, [keysDocumentEntry(ourKey)])).toMatchObject({ ok: true });
    const [sig] = signed.dist['signatures'] as Array<{ sig: string }>;
    const message = `@acme/widget@1.2.0:sha1-${Buffer.from(shasum, 'hex').toString('base64')}`;
    expect(verify('sha256', Buffer.from(message), pemOfKeyEntry(keysDocumentEntry(ourKey)), Buffer.from(sig!.sig, 'base64'))).toBe(true);
    expect(() => signVersion(manifest({ dist: { tarball: 't' } }), [ourKey])).toThrow(/no integrity/);
  });

  it.each([
    ['garbage', 'not a key'],
    ['an RSA key', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
    ['a P-384 key', generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
  ])('refuses %s as signing key', (_what, pem) => {
    expect(() => loadSigningKey(pem)).toThrow(/npm signing key/);
  });

  it('loads a SEC1 PEM too, and refuses an expiry that is not a date', () => {
    const sec1 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
    expect(loadSigningKey(sec1).keyid).toMatch(/^SHA256:/);
    expect(() => loadSigningKey(sec1, 'soon')).toThrow(/expiry/);
  });
});

describe('publish drops what only the registry may assert', () => {
  it('removes client-sent signatures, legacy PGP signature and attestations', () => {
    const sent = manifest({ dist: { ...manifest().dist, signatures: [{ keyid: 'k', sig: 's' }], 'npm-signature': 'pgp', attestations: { url: 'x' }, fileCount: 3 } });
    expect(withoutRegistryAssertions(sent).dist).toEqual({ tarball: manifest().dist.tarball, integrity: manifest().dist.integrity, fileCount: 3 });
    const tarball = Buffer.from('tgz bytes');
    const parsed = parsePublishBody('pkg', {
      name: 'pkg', 'dist-tags': { latest: '1.0.0' },
      versions: { '1.0.0': { name: 'pkg', version: '1.0.0', dist: { signatures: [{ keyid: 'k', sig: 's' }], attestations: { url: 'x' } } } },
      _attachments: { 'pkg-1.0.0.tgz': { data: tarball.toString('base64'), length: tarball.length } },
    });
    expect(parsed.manifest.dist).toEqual({});
  });
});

describe('the keys document', () => {
  it('keeps well-formed upstream entries only, and answers none for anything that is not a keys document', () => {
    const doc = { keys: [PUBLIC_KEY, { ...PUBLIC_KEY, keyid: '' }, { ...PUBLIC_KEY, key: 'not base64!' }, { ...PUBLIC_KEY, expires: 'later' }, 'x', null] };
    expect(parseKeysDocument(doc)).toEqual([PUBLIC_KEY]);
    expect(parseKeysDocument({ keys: [{ ...PUBLIC_KEY, expires: undefined }] })).toEqual([PUBLIC_KEY]);
    for (const junk of [null, 'x', [], { keys: 'x' }, JSON.parse(`{"__proto__": {"keys": ${JSON.stringify([PUBLIC_KEY])}}}`)]) expect(parseKeysDocument(junk)).toEqual([]);
  });

  it('serves upstream keys then ours, each key id once', () => {
    const ours = keysDocumentEntry(ourKey);
    expect(mergeKeysDocuments([PUBLIC_KEY], [ours])).toEqual({ keys: [PUBLIC_KEY, ours] });
    expect(mergeKeysDocuments([{ ...ours, expires: '2020-01-01T00:00:00.000Z' }, PUBLIC_KEY], [ours])).toEqual({ keys: [PUBLIC_KEY, ours] });
    expect(mergeKeysDocuments([], [])).toEqual({ keys: [] });
  });
});

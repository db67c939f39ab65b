import { createPrivateKey, createPublicKey, createVerify, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { VersionManifest } from './packument';
import { pemOfKeyEntry, REGISTRY_KEY_TYPE, registryKeyId, type RegistryKeyEntry } from './registry-keys';

/**
 * Registry signatures the way the public registry makes them and npm verifies them (protocols §14): ECDSA P-256 with SHA-256 over `<name>@<version>:<integrity>`, DER-encoded and
 * base64, in `dist.signatures: [{keyid, sig}]`.
 */
export interface RegistrySigningKey {
  keyid: string;
  /** base64 SPKI DER, as in the keys document. */
  publicKey: string;
  expires: string | null;
  /** The private key; kept out of JSON and logs (non-enumerable). */
  readonly privateKey: KeyObject;
}

/** A new P-256 private key as PKCS#8 PEM, for configuration (`openssl ecparam -name prime256v1 -genkey` is the same). */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Loads a configured private key (PKCS#8 or SEC1 PEM); throws unless it is ECDSA P-256 or `expires` is not a date. */
export function loadSigningKey(privateKeyPem: string, expires: string | null = null): RegistrySigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    throw new Error('the npm signing key is not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the npm signing key must be ECDSA P-256 (prime256v1)');
  }
  if (expires !== null && !Number.isFinite(Date.parse(expires))) throw new Error('the npm signing key expiry is not a date');
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const key = { keyid: registryKeyId(spki), publicKey: spki.toString('base64'), expires } as RegistrySigningKey;
  Object.defineProperty(key, 'privateKey', { value: privateKey, enumerable: false });
  return key;
}

/** This registry's entry in the keys document. */
export const keysDocumentEntry = (key: RegistrySigningKey): RegistryKeyEntry => ({
  expires: key.expires,
  keyid: key.keyid,
  keytype: REGISTRY_KEY_TYPE,
  scheme: REGISTRY_KEY_TYPE,
  key: key.publicKey,
});

/** The signed bytes: npm's `${_id}:${_integrity}`. */
export const signatureMessage = (name: string, version: string, integrity: string): string => `${name}@${version}:${integrity}`;

/**
 * The integrity string npm checks signatures against: `dist.integrity` with its entries separated by one
 * space (ssri's serialization), or, for old versions with a shasum only, `sha1-<base64>`.
 */
export function signedIntegrityOf(dist: { integrity?: unknown; shasum?: unknown } | undefined): string | undefined {
  if (typeof dist?.integrity === 'string' && dist.integrity.trim() !== '') return dist.integrity.trim().split(/\s+/).join(' ');
  if (typeof dist?.shasum === 'string' && /^[0-9a-f]{40}$/i.test(dist.shasum)) return `sha1-${Buffer.from(dist.shasum, 'hex').toString('base64')}`;
  return undefined;
}

/** The base64 DER ECDSA signature of one message. */
export const signMessage = (key: RegistrySigningKey, message: string): string => sign('sha256', Buffer.from(message), key.privateKey).toString('base64');

/**
 * A copy of a version manifest whose `dist.signatures` are this registry's, one per key. Signatures of
 * other keys are dropped: npm requires every listed signature to verify against the keys we serve.
 * Throws when the manifest has no integrity to sign.
 */
export function signVersion(manifest: VersionManifest, keys: readonly RegistrySigningKey[]): VersionManifest {
  const integrity = signedIntegrityOf(manifest.dist);
  if (integrity === undefined) throw new Error(`${manifest.name}@${manifest.version} has no integrity to sign`);
  const message = signatureMessage(manifest.name, manifest.version, integrity);
  return { ...manifest, dist: { ...manifest.dist, signatures: keys.map((k) => ({ keyid: k.keyid, sig: signMessage(k, message) })) } };
}

/** Fields only the registry may assert; a publish never keeps the client's (a client could forge them). */
const REGISTRY_ASSERTED_DIST_FIELDS = ['signatures', 'npm-signature', 'attestations'];

/** A client-sent manifest without registry-asserted `dist` fields. */
export function withoutRegistryAssertions(manifest: VersionManifest): VersionManifest {
  const dist = { ...manifest.dist };
  for (const field of REGISTRY_ASSERTED_DIST_FIELDS) delete dist[field];
  return { ...manifest, dist };
}

export type SignatureCheck =
  | { ok: true; verified: number }
  | { ok: false; code: 'EMISSINGSIGNATUREKEY' | 'EEXPIREDSIGNATUREKEY' | 'EINTEGRITYSIGNATURE'; keyid: string };

/** npm's cut-off for versions whose packument has no publish time. */
const MISSING_TIME_CUTOFF = '2015-01-01T00:00:00.000Z';

/**
 * Checks a manifest's `dist.signatures` exactly as npm's `audit signatures` does: every signature needs a
 * key with its key id, not expired at the version's publish time (`publishedAt`, the packument's
 * `time[version]`), and a valid ECDSA signature over `name@version:integrity`.
 */
export function verifyRegistrySignatures(manifest: VersionManifest, keys: readonly RegistryKeyEntry[], publishedAt?: string): SignatureCheck {
  const signatures = Array.isArray(manifest.dist['signatures']) ? (manifest.dist['signatures'] as Array<{ keyid?: unknown; sig?: unknown }>) : [];
  const message = signatureMessage(manifest.name, manifest.version, signedIntegrityOf(manifest.dist) ?? '');
  for (const signature of signatures) {
    const keyid = String(signature.keyid);
    const key = keys.find((k) => k.keyid === keyid);
    if (key === undefined) return { ok: false, code: 'EMISSINGSIGNATUREKEY', keyid };
    if (key.expires && !(Date.parse(publishedAt ?? MISSING_TIME_CUTOFF) < Date.parse(key.expires))) return { ok: false, code: 'EEXPIREDSIGNATUREKEY', keyid };
    const verifier = createVerify('SHA256');
    verifier.end(message);
    let valid = false;
    try {
      valid = verifier.verify(pemOfKeyEntry(key), String(signature.sig), 'base64');
    } catch {
      valid = false;
    }
    if (!valid) return { ok: false, code: 'EINTEGRITYSIGNATURE', keyid };
  }
  return { ok: true, verified: signatures.length };
}

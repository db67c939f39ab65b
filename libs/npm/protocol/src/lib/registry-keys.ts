import { createHash, createPublicKey } from 'node:crypto';

/**
 * The registry keys document, `GET /-/npm/v1/keys` (protocols §14):
 * `{"keys": [{expires, keyid, keytype, scheme, key}]}` with `key` the base64 SPKI DER of an ECDSA P-256
 * public key. npm's `audit signatures` turns `key` into a PEM and matches `dist.signatures[].keyid` to `keyid`.
 */
export const REGISTRY_KEY_TYPE = 'ecdsa-sha2-nistp256';

export interface RegistryKeyEntry {
  /** ISO time after which the key no longer vouches for versions published later; null = no end. */
  expires: string | null;
  keyid: string;
  keytype: string;
  scheme: string;
  /** base64 of the SPKI DER public key. */
  key: string;
}

export interface KeysDocument {
  keys: RegistryKeyEntry[];
}

/**
 * The key id the public registry gives a key: `SHA256:` and the unpadded base64 SHA-256 of the key in SSH
 * wire form (string "ecdsa-sha2-nistp256", string "nistp256", string 0x04‖X‖Y), i.e. its OpenSSH fingerprint.
 */
export function registryKeyId(spkiDer: Uint8Array): string {
  const jwk = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || jwk.x === undefined || jwk.y === undefined) throw new Error('a registry key must be ECDSA P-256');
  const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  const blob = Buffer.concat([sshString(Buffer.from(REGISTRY_KEY_TYPE)), sshString(Buffer.from('nistp256')), sshString(point)]);
  return `SHA256:${createHash('sha256').update(new Uint8Array(blob)).digest('base64').replace(/=+$/, '')}`;
}

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The PEM npm builds from a keys document entry to verify with. */
export const pemOfKeyEntry = (entry: Pick<RegistryKeyEntry, 'key'>): string => `-----BEGIN PUBLIC KEY-----\n${entry.key}\n-----END PUBLIC KEY-----`;

const isEntry = (v: unknown): v is RegistryKeyEntry => {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e['keyid'] === 'string' && e['keyid'] !== '' && typeof e['key'] === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(e['key']) &&
    typeof e['keytype'] === 'string' && typeof e['scheme'] === 'string' &&
    (e['expires'] === null || e['expires'] === undefined || (typeof e['expires'] === 'string' && Number.isFinite(Date.parse(e['expires']))))
  );
};

/** The well-formed entries of an upstream keys document (anything else yields none: 404 means "no keys" to npm). */
export function parseKeysDocument(body: unknown): RegistryKeyEntry[] {
  const keys = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) return [];
  return keys.filter(isEntry).map((e) => ({ expires: e.expires ?? null, keyid: e.keyid, keytype: e.keytype, scheme: e.scheme, key: e.key }));
}

/**
 * What this registry serves at `/-/npm/v1/keys`: the upstream's keys (so upstream signatures keep verifying
 * through us) followed by ours; a key id is listed once, our entry winning (it is our key, we know it best).
 */
export function mergeKeysDocuments(upstream: readonly RegistryKeyEntry[], own: readonly RegistryKeyEntry[]): KeysDocument {
  const ownIds = new Set(own.map((k) => k.keyid));
  return { keys: [...upstream.filter((k) => !ownIds.has(k.keyid)), ...own] };
}

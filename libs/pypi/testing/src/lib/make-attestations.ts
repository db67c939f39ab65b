import { randomBytes } from 'node:crypto';

/** The predicate types PEP 740 knows: a PyPI publish attestation and a SLSA provenance. */
export const PUBLISH_PREDICATE = 'https://docs.pypi.org/attestations/publish/v1';
export const SLSA_PREDICATE = 'https://slsa.dev/provenance/v1';

/**
 * A PEP 740 attestation object about one distribution file, of the shape twine and uv upload and the upstream
 * index serves (protocols §11). Its certificate and signature are random bytes: well formed, not verifiable.
 */
export function makeAttestation(file: { filename: string; sha256: string }, predicateType = PUBLISH_PREDICATE): Record<string, unknown> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: file.filename, digest: { sha256: file.sha256 } }],
    predicateType,
    predicate: null,
  };
  return {
    version: 1,
    verification_material: {
      // A DER certificate starts with an ASN.1 SEQUENCE (0x30).
      certificate: Buffer.concat([Buffer.from([0x30, 0x82]), randomBytes(62)]).toString('base64'),
      transparency_entries: [{ logIndex: String(randomBytes(3).readUIntBE(0, 3)), kindVersion: { kind: 'dsse', version: '0.0.1' } }],
    },
    envelope: { statement: Buffer.from(JSON.stringify(statement)).toString('base64'), signature: randomBytes(72).toString('base64') },
  };
}

/** A provenance object (what the Integrity API serves) holding these attestations under one Trusted Publisher. */
export function makeProvenance(attestations: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    version: 1,
    attestation_bundles: [{ publisher: { kind: 'GitHub', claims: null, repository: 'acme/widgets', workflow: 'release.yml' }, attestations }],
  };
}

import { isAppError } from '@registry/shared-errors';
import { parseUploadAttestations, SUPPORTED_PREDICATE_TYPES, type Attestation } from './attestations';

const FILE = { filename: 'acme_utils-2.0.0-py3-none-any.whl', sha256: 'ab'.repeat(32) };
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A PEP 740 attestation object of the shape twine and uv upload (signature and certificate are not real). */
interface Draft {
  [key: string]: unknown;
  verification_material?: Record<string, unknown>;
  envelope?: Record<string, unknown>;
}

function attestation(over: { name?: string; sha256?: string; predicateType?: string; statement?: unknown; patch?: (a: Draft) => void } = {}) {
  const statement = over.statement ?? {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: over.name ?? FILE.filename, digest: { sha256: over.sha256 ?? FILE.sha256 } }],
    predicateType: over.predicateType ?? SUPPORTED_PREDICATE_TYPES[1],
    predicate: null,
  };
  const a: Draft = {
    version: 1,
    verification_material: {
      certificate: Buffer.from([0x30, 0x82, 0x02, 0x10, 0x30, 0x82]).toString('base64'),
      transparency_entries: [{ logIndex: '147137139', kindVersion: { kind: 'dsse', version: '0.0.1' }, integratedTime: '1730932627' }],
    },
    envelope: { statement: b64(JSON.stringify(statement)), signature: b64('a DER ECDSA signature') },
  };
  over.patch?.(a);
  return a;
}

function rejection(field: string, file: typeof FILE | undefined = FILE): string {
  try {
    parseUploadAttestations(field, file);
  } catch (err) {
    if (isAppError(err) && err.code === 'invalid_request') return err.message;
    throw err;
  }
  throw new Error('accepted');
}

describe('PEP 740 upload attestations', () => {
  it('accepts one attestation per supported predicate type and returns them unchanged', () => {
    const both = [attestation(), attestation({ predicateType: SUPPORTED_PREDICATE_TYPES[0] })];
    const parsed: Attestation[] = parseUploadAttestations(JSON.stringify(both), FILE);
    expect(parsed).toEqual(both);
  });

  it('matches the subject by parsed filename (normalized name and version) and exact sha256', () => {
    const renamed = attestation({ name: 'Acme.Utils-2.0.0-py3-none-any.whl', sha256: FILE.sha256.toUpperCase() });
    expect(parseUploadAttestations(JSON.stringify([renamed]), FILE)).toHaveLength(1);
    expect(rejection(JSON.stringify([attestation({ name: 'acme_utils-2.0.1-py3-none-any.whl' })]))).toMatch(/is about acme_utils-2.0.1/);
    expect(rejection(JSON.stringify([attestation({ name: 'acme_utils-2.0.0.tar.gz' })]))).toMatch(/is about/);
    expect(rejection(JSON.stringify([attestation({ sha256: 'cd'.repeat(32) })]))).toMatch(/sha256 is not the file's/);
  });

  it.each([
    ['not JSON', '[{', /not JSON/],
    ['not a list', JSON.stringify(attestation()), /JSON array/],
    ['an empty list', '[]', /empty attestation set/],
    ['three attestations', JSON.stringify([attestation(), attestation(), attestation()]), /at most 2/],
    ['two of one type', JSON.stringify([attestation(), attestation()]), /more than one attestation of type/],
    ['a non-object', '[1]', /not an object/],
    ['version 2', JSON.stringify([attestation({ patch: (a) => (a['version'] = 2) })]), /version must be 1/],
    ['no verification material', JSON.stringify([attestation({ patch: (a) => delete a.verification_material })]), /verification_material/],
    ['a certificate that is not base64', JSON.stringify([attestation({ patch: (a) => (a.verification_material!.certificate = 'not base64!') })]), /certificate/],
    ['a certificate that is not DER', JSON.stringify([attestation({ patch: (a) => (a.verification_material!.certificate = b64('PEM?')) })]), /DER/],
    ['no transparency entry', JSON.stringify([attestation({ patch: (a) => (a.verification_material!.transparency_entries = []) })]), /transparency_entries/],
    ['no envelope', JSON.stringify([attestation({ patch: (a) => delete a.envelope })]), /envelope is missing/],
    ['an unpadded signature', JSON.stringify([attestation({ patch: (a) => (a.envelope!.signature = 'YWJj=') })]), /signature must be base64/],
    ['a statement that is not JSON', JSON.stringify([attestation({ patch: (a) => (a.envelope!.statement = b64('{')) })]), /statement is not JSON/],
    ['a statement that is not in-toto v1', JSON.stringify([attestation({ statement: { _type: 'https://in-toto.io/Statement/v0.1', subject: [] } })]), /in-toto v1/],
    ['two subjects', JSON.stringify([attestation({ statement: { _type: 'https://in-toto.io/Statement/v1', subject: [{}, {}] } })]), /exactly one subject/],
    ['a sha1-only subject', JSON.stringify([attestation({ statement: { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: FILE.filename, digest: { sha1: 'ab' } }] } })]), /hex sha256/],
    ['an unsupported predicate type', JSON.stringify([attestation({ predicateType: 'https://example.test/mine' })]), /unsupported predicate type/],
  ])('refuses %s with a 400 saying so', (_what, field, message) => {
    expect(rejection(field)).toMatch(message);
  });

  it('refuses an oversized field before parsing it', () => {
    expect(rejection(`[${' '.repeat(600 * 1024)}]`)).toMatch(/larger than/);
  });

  it('checks the shape alone when no file is given', () => {
    expect(parseUploadAttestations(JSON.stringify([attestation({ name: 'other-1.0.tar.gz' })]))).toHaveLength(1);
  });
});

import { AppError } from '@registry/shared-errors';
import { filenameMatches, parseDistributionFilename } from './distribution-filename';
import { isRecord } from './json-values';

/**
 * PEP 740 attestation objects as uploaded in the `attestations` form field (protocols §11). We check that they are well formed and about the uploaded file; we do not verify the
 * Sigstore signature or certificate chain.
 */
export interface Attestation {
  version: 1;
  verification_material: { certificate: string; transparency_entries: Array<Record<string, unknown>>; [key: string]: unknown };
  envelope: { statement: string; signature: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** The in-toto v1 statement inside `envelope.statement`, as far as PEP 740 constrains it. */
export interface AttestationStatement {
  _type: 'https://in-toto.io/Statement/v1';
  subject: [{ name: string; digest: Record<string, string> }];
  predicateType: string;
  predicate?: unknown;
}

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
/** The predicate types PEP 740 and the upstream index accept. */
export const SUPPORTED_PREDICATE_TYPES = ['https://slsa.dev/provenance/v1', 'https://docs.pypi.org/attestations/publish/v1'] as const;

/** Bounds on hostile input: a real attestation is about 10 KB, and the upstream takes one per predicate type. */
export const MAX_ATTESTATIONS_FIELD_BYTES = 512 * 1024;
export const MAX_ATTESTATIONS = SUPPORTED_PREDICATE_TYPES.length;

const bad = (message: string) => new AppError('invalid_request', `invalid attestations: ${message}`);

/** Strict standard base64 with padding (what the upstream's validator accepts); decoded bytes, or undefined. */
export function decodeStrictBase64(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

/**
 * Parses the `attestations` upload field: a JSON array of 1 to MAX_ATTESTATIONS attestation objects, each
 * with version 1, a base64 DER certificate, at least one transparency entry, and a DSSE envelope whose
 * statement is an in-toto v1 statement with exactly one subject, a supported predicate type (at most one
 * attestation per type), and, when `file` is given, the file's name and sha256 as subject. Throws
 * AppError('invalid_request') saying what is wrong; returns the objects unchanged for storing.
 */
export function parseUploadAttestations(field: string, file?: { filename: string; sha256: string }): Attestation[] {
  if (Buffer.byteLength(field) > MAX_ATTESTATIONS_FIELD_BYTES) throw bad(`the field is larger than ${MAX_ATTESTATIONS_FIELD_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(field);
  } catch {
    throw bad('the field is not JSON');
  }
  if (!Array.isArray(parsed)) throw bad('the field must be a JSON array of attestation objects');
  if (parsed.length === 0) throw bad('an empty attestation set is not allowed; omit the field instead');
  if (parsed.length > MAX_ATTESTATIONS) throw bad(`at most ${MAX_ATTESTATIONS} attestations (one per predicate type)`);
  const seen = new Set<string>();
  return parsed.map((raw, i) => {
    const statement = checkAttestation(raw, `attestation ${i}`);
    if (seen.has(statement.predicateType)) throw bad(`more than one attestation of type ${statement.predicateType}`);
    seen.add(statement.predicateType);
    if (file !== undefined) checkSubject(statement, file, `attestation ${i}`);
    return raw as Attestation;
  });
}

/** Checks one attestation object's shape; returns its decoded statement. */
export function checkAttestation(raw: unknown, where = 'attestation'): AttestationStatement {
  if (!isRecord(raw)) throw bad(`${where} is not an object`);
  if (raw['version'] !== 1) throw bad(`${where}: version must be 1`);
  const material = raw['verification_material'];
  if (!isRecord(material)) throw bad(`${where}: verification_material is missing`);
  const certificate = decodeStrictBase64(material['certificate']);
  // base64(DER(cert)): a DER certificate is an ASN.1 SEQUENCE.
  if (certificate === undefined || certificate[0] !== 0x30) throw bad(`${where}: certificate must be base64 of a DER certificate`);
  const entries = material['transparency_entries'];
  if (!Array.isArray(entries) || entries.length === 0 || !entries.every(isRecord)) {
    throw bad(`${where}: transparency_entries must be a non-empty list of objects`);
  }
  const envelope = raw['envelope'];
  if (!isRecord(envelope)) throw bad(`${where}: envelope is missing`);
  if (decodeStrictBase64(envelope['signature']) === undefined) throw bad(`${where}: envelope.signature must be base64`);
  const statementBytes = decodeStrictBase64(envelope['statement']);
  if (statementBytes === undefined) throw bad(`${where}: envelope.statement must be base64`);
  return checkStatement(statementBytes, where);
}

function checkStatement(bytes: Buffer, where: string): AttestationStatement {
  let statement: unknown;
  try {
    statement = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad(`${where}: the statement is not JSON`);
  }
  if (!isRecord(statement) || statement['_type'] !== IN_TOTO_STATEMENT_V1) throw bad(`${where}: the statement is not an in-toto v1 statement`);
  const subject = statement['subject'];
  if (!Array.isArray(subject) || subject.length !== 1) throw bad(`${where}: the statement must have exactly one subject`);
  const [only] = subject as unknown[];
  if (!isRecord(only) || typeof only['name'] !== 'string' || !isRecord(only['digest'])) throw bad(`${where}: the subject needs a name and a digest`);
  const sha256 = only['digest']['sha256'];
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256)) throw bad(`${where}: the subject digest must include a hex sha256`);
  const predicateType = statement['predicateType'];
  if (typeof predicateType !== 'string' || !(SUPPORTED_PREDICATE_TYPES as readonly string[]).includes(predicateType)) {
    throw bad(`${where}: unsupported predicate type ${String(predicateType).slice(0, 200)}`);
  }
  return statement as unknown as AttestationStatement;
}

/** PEP 740: the subject is the distribution, matched by parsed (normalized) filename and exact sha256. */
function checkSubject(statement: AttestationStatement, file: { filename: string; sha256: string }, where: string): void {
  const subject = statement.subject[0];
  const claimed = parseDistributionFilename(subject.name);
  const actual = parseDistributionFilename(file.filename);
  const sameName =
    claimed !== undefined && actual !== undefined && claimed.kind === actual.kind && filenameMatches(claimed, actual.project, actual.version);
  if (!sameName) throw bad(`${where} is about ${subject.name.slice(0, 200)}, not ${file.filename}`);
  if (subject.digest['sha256']!.toLowerCase() !== file.sha256.toLowerCase()) throw bad(`${where}: the subject sha256 is not the file's`);
}

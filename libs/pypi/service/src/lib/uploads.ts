import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@registry/shared-errors';
import type { Principal } from '@registry/auth-identity';
import type { BlobStore } from '@registry/storage-blob-store';
import { assertClaimable, type ClaimCheck } from '@registry/storage-read-through';
import {
  buildProvenance, coreMetadataField, filenameMatches, isValidProjectName, listZipEntries, normalizePep440Version, normalizeProjectName, parseDistributionFilename, parseUploadAttestations,
  readWheelMetadata, statusAllowsUploads, wheelMetadataMismatch, ZipFormatError, type Attestation, type DistributionKind, type Publisher, type RandomAccessSource,
} from '@registry/pypi-protocol';
import { fileNamedLike, updatePrivateProject, wasDeleted, withFile, type PrivateFileRecord, type PrivateProject } from './private-projects';
import type { ProjectPages } from './project-pages';
import { storageKeys } from './storage-keys';

export interface ValidUpload {
  name: string;
  normalized: string;
  version: string;
  kind: DistributionKind;
  requiresPython: string | null;
  content: UploadedContent;
  /** PEP 740 attestations sent with the file (twine `--attestations`, uv with `*.attestation` files), checked. */
  attestations?: Attestation[];
}

const METADATA_VERSIONS = new Set(['1.0', '1.1', '1.2', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5']);
const FILETYPE_KIND: Record<string, DistributionKind> = { sdist: 'sdist', bdist_wheel: 'wheel' };
// A PEP 440 version (protocols §1.2), short enough for storage keys.
const MAX_VERSION_LENGTH = 128;
const isValidVersion = (v: string): boolean => v.length <= MAX_VERSION_LENGTH && normalizePep440Version(v) !== undefined;
const BAD_FILENAME = /[\u0000-\u001f\u007f/\\]/;

const bad = (message: string) => new AppError('invalid_request', message);

/**
 * PyPI's upload checks that make sense for a private index (protocols §2.4), in PyPI's order and with
 * its wording where uploaders match on it. Digests are compared against what the transport computed.
 */
export function validateUpload(form: UploadForm): ValidUpload {
  const action = field(form, ':action');
  if (action === 'submit' || action === 'doc_upload') throw new AppError('gone', `${action} is not supported; upload files directly`);
  if (action !== 'file_upload') throw bad(`Unknown :action ${JSON.stringify(action ?? '')}`);
  if ((field(form, 'protocol_version') ?? '1') !== '1') throw bad('Unknown protocol version.');
  const name = field(form, 'name');
  if (name === undefined || !isValidProjectName(name)) throw bad(`Invalid value for name: ${JSON.stringify(name ?? '')}`);
  const version = field(form, 'version');
  if (version === undefined || !isValidVersion(version)) throw bad(`Invalid value for version: ${JSON.stringify(version ?? '')}`);
  const filetype = field(form, 'filetype') ?? '';
  const kind = FILETYPE_KIND[filetype];
  if (kind === undefined) throw bad(`Invalid value for filetype: ${JSON.stringify(filetype)}`);
  checkPyversion(kind, field(form, 'pyversion'));
  const metadataVersion = field(form, 'metadata_version');
  if (metadataVersion !== undefined && !METADATA_VERSIONS.has(metadataVersion)) throw bad(`Unsupported metadata_version ${metadataVersion}`);
  const content = form.content;
  if (content === undefined) throw bad('Upload payload does not have a file.');
  checkFilename(content.filename, kind, name, version);
  checkDigests(form, content);
  const attestations = field(form, 'attestations');
  return {
    name, normalized: normalizeProjectName(name), version, kind, requiresPython: field(form, 'requires_python') ?? null, content,
    ...(attestations === undefined ? {} : { attestations: parseUploadAttestations(attestations, { filename: content.filename, sha256: content.sha256 }) }),
  };
}

function checkPyversion(kind: DistributionKind, pyversion: string | undefined): void {
  if (kind === 'sdist' && pyversion !== undefined && pyversion !== 'source') throw bad('Use "source" as the pyversion for an sdist.');
  if (kind === 'wheel' && pyversion === undefined) throw bad('Invalid value for pyversion: a wheel needs its python tag.');
}

function checkFilename(filename: string, kind: DistributionKind, name: string, version: string): void {
  if (filename === '' || BAD_FILENAME.test(filename)) throw bad('Invalid filename: control characters and slashes are not allowed.');
  const parsed = parseDistributionFilename(filename, name);
  if (parsed === undefined || parsed.kind !== kind) throw bad(`Invalid filename ${JSON.stringify(filename)} for filetype ${kind === 'wheel' ? 'bdist_wheel' : 'sdist'}.`);
  if (!filenameMatches(parsed, name, version)) {
    throw bad(`Start filename for ${JSON.stringify(name)} with ${JSON.stringify(`${name}-${version}`)} (normalized), not ${JSON.stringify(filename)}.`);
  }
}

function checkDigests(form: UploadForm, content: UploadedContent): void {
  const sha256 = field(form, 'sha256_digest')?.toLowerCase();
  const blake2 = field(form, 'blake2_256_digest')?.toLowerCase();
  const md5 = field(form, 'md5_digest');
  if (sha256 === undefined && blake2 === undefined && md5 === undefined) throw bad('Include at least one message digest.');
  const md5Matches = md5 === undefined || md5.toLowerCase() === content.md5 || md5 === Buffer.from(content.md5, 'hex').toString('base64url');
  if ((sha256 !== undefined && sha256 !== content.sha256) || (blake2 !== undefined && blake2 !== content.blake2b256) || !md5Matches) {
    throw bad('The digest supplied does not match a digest calculated from the uploaded file.');
  }
}

/** The uploaded distribution, already staged by the transport (temp file) and hashed while it arrived. */
export interface UploadedContent {
  filename: string;
  size: number;
  /** Lowercase hex digests computed from the received bytes. */
  sha256: string;
  blake2b256: string;
  md5: string;
  /** Random access for reading the wheel's central directory. */
  source: RandomAccessSource;
  /** A fresh stream of the whole file, for writing it to the store. */
  open(): Readable;
}

/** The multipart form of the legacy upload API (protocols §2.3); repeated keys keep every value. */
export interface UploadForm {
  fields: Record<string, string[]>;
  content: UploadedContent | undefined;
}

/** First non-empty value: poetry sends empty fields for "not provided" (protocols §2.3). */
export function field(form: UploadForm, name: string): string | undefined {
  return form.fields[name]?.find((v) => v !== '');
}

export interface UploadResult {
  /** False when an identical file was already there (idempotent re-upload, PyPI semantics). */
  created: boolean;
  message: string;
}

/** The legacy upload API's use-case: stage the validated bytes, then publish them with compare-and-swap. */
export class Uploads {
  constructor(private readonly deps: { store: BlobStore; pages: ProjectPages; claims: ClaimCheck }) {}

  /** Stores a validated upload for `principal`; AppError when it is refused (owner, conflict, reused name). */
  async upload(valid: ValidUpload, principal: Principal): Promise<UploadResult> {
    const { normalized, content } = valid;
    if (principal.readonly) throw new AppError('forbidden', 'This token is read-only and cannot upload.');
    // Checked on the cached document before any bytes are written (the compare-and-swap below checks again).
    const current = await this.deps.pages.privateProject(normalized);
    checkCanUpload(current, principal, normalized);
    // A first upload claims the name: never one the upstream serves (protocols §8.18).
    if (current === undefined) await assertClaimable(normalized, this.deps.claims);
    if (isIdenticalUpload(current, content.filename, content.sha256)) return { created: false, message: 'File already exists and is identical' };
    const metadata = await extractMetadata(valid);
    const provenance = valid.attestations && Buffer.from(JSON.stringify(buildProvenance(valid.attestations, uploadPublisher(principal))));
    const record: PrivateFileRecord = {
      filename: content.filename, version: valid.version, kind: valid.kind, sha256: content.sha256, blake2b256: content.blake2b256,
      size: content.size, uploadTime: new Date().toISOString(),
      requiresPython: valid.requiresPython ?? (metadata ? (coreMetadataField(metadata, 'Requires-Python') ?? null) : null),
      metadataSha256: metadata ? sha256Of(metadata) : null,
      yanked: false, uploader: principal.user.name, provenanceSha256: provenance ? sha256Of(provenance) : null,
    };
    await this.writeBlobs(normalized, record, valid, metadata);
    if (provenance !== undefined) await this.writeProvenance(normalized, record, provenance);
    let created = true;
    await updatePrivateProject(this.deps.store, normalized, (project) => {
      checkCanUpload(project, principal, normalized);
      if (isIdenticalUpload(project, record.filename, record.sha256)) {
        created = false;
        return undefined;
      }
      const base: PrivateProject = project ?? { name: valid.name, owners: [principal.user.name], files: {}, deletedFilenames: [] };
      return { ...base, files: withFile(base.files, record) };
    });
    this.deps.pages.invalidate(normalized);
    return { created, message: created ? 'OK' : 'File already exists and is identical' };
  }

  /** Bytes first, under content-addressed keys; they become visible only when the project document names them. */
  private async writeBlobs(project: string, record: PrivateFileRecord, valid: ValidUpload, metadata: Buffer | undefined): Promise<void> {
    const pending = await this.deps.store.begin(storageKeys.privateFile(project, record.sha256, record.filename), {
      contentType: 'application/octet-stream',
      expectedDigest: { algorithm: 'sha256', hex: record.sha256 },
      expectedSize: record.size,
    });
    try {
      await pipeline(valid.content.open(), pending.body);
      await pending.commit();
    } catch (err) {
      await pending.abort().catch(() => undefined);
      throw err;
    }
    if (metadata === undefined) return;
    const meta = await this.deps.store.begin(storageKeys.privateMetadata(project, record.sha256, record.filename), {
      contentType: 'text/plain; charset=utf-8',
    });
    meta.body.end(metadata);
    await meta.commit();
  }

  /** The provenance object under its own digest: the project document names it only once it is stored. */
  private async writeProvenance(project: string, record: PrivateFileRecord, provenance: Buffer): Promise<void> {
    await this.deps.store.putDocument(storageKeys.privateProvenance(project, record.sha256, record.provenanceSha256 as string), provenance, { contentType: 'application/json' });
  }
}

/**
 * PEP 740 names the identity that published a file; the upstream index names a Trusted Publisher. A private
 * index knows the authenticated uploader instead (protocols §11).
 */
const uploadPublisher = (principal: Principal): Publisher => ({ kind: 'registry-upload', claims: { uploader: principal.user.name } });

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

function checkCanUpload(project: PrivateProject | undefined, principal: Principal, normalized: string): void {
  // PEP 792: archived and quarantined projects take no uploads, whoever asks.
  if (project !== undefined && !statusAllowsUploads(project.status)) {
    throw new AppError('invalid_request', `Project '${normalized}' is ${project.status?.status}: it does not accept new uploads.`);
  }
  if (project === undefined || principal.user.roles.includes('admin') || project.owners.includes(principal.user.name)) return;
  throw new AppError('forbidden', `The user '${principal.user.name}' isn't allowed to upload to project '${normalized}'.`);
}

/** Filenames are compared ignoring case, for conflicts and for the deleted-filename ban (protocols §2.4). */
function isIdenticalUpload(project: PrivateProject | undefined, filename: string, sha256: string): boolean {
  if (wasDeleted(project, filename)) {
    throw new AppError('invalid_request', 'This filename has already been used, use a different version.');
  }
  const existing = fileNamedLike(project, filename);
  if (existing === undefined) return false;
  if (existing.filename === filename && existing.sha256 === sha256) return true;
  // twine, poetry and uv recognise this wording (protocols §2.5).
  throw new AppError('conflict', `File already exists ('${existing.filename}', with sha256 hash '${existing.sha256}').`);
}

/** PEP 658: the wheel's METADATA, served as `<file>.metadata`; sdists are checked for their archive format only. */
async function extractMetadata(valid: ValidUpload): Promise<Buffer | undefined> {
  const { content } = valid;
  try {
    if (valid.kind === 'wheel') {
      const metadata = await readWheelMetadata(content.source, valid.name);
      const version = parseDistributionFilename(content.filename, valid.name)?.version ?? valid.version;
      const mismatch = wheelMetadataMismatch(metadata, { project: valid.name, version });
      if (mismatch !== undefined) throw new AppError('invalid_request', `Invalid distribution file: ${mismatch}.`);
      return metadata;
    }
    if (content.filename.toLowerCase().endsWith('.zip')) await listZipEntries(content.source);
    else if (content.filename.toLowerCase().endsWith('.tar.gz')) {
      const magic = await content.source.read(0, 2);
      if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw new ZipFormatError('not a gzip file');
    }
    return undefined;
  } catch (err) {
    if (err instanceof ZipFormatError) throw new AppError('invalid_request', `Invalid distribution file: ${err.message}`);
    throw err;
  }
}

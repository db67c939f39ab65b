import { pipeline } from 'node:stream/promises';
import { AppError } from '@registry/shared-errors';
import type { AuditClient } from '@registry/audit-client';
import type { Principal } from '@registry/auth-identity';
import type { BlobStore } from '@registry/storage-blob-store';
import { coreMetadataField, listZipEntries, readWheelMetadata, ZipFormatError } from '@registry/pypi-protocol';
import { createHash } from 'node:crypto';
import { loadPrivateProject, type PrivateFileRecord, type PrivateProject, type PrivateProjectWriter } from './private-projects';
import type { ProjectPages } from './project-pages';
import { recordEvent, type RequestContext } from './request-context';
import { storageKeys } from './storage-keys';
import type { UploadForm } from './upload-form';
import { validateUpload, type ValidUpload } from './validate-upload';

export interface UploadRequest {
  /** Resolves the caller or throws AppError('unauthenticated' | 'forbidden'). */
  authenticate(): Promise<Principal>;
  /** Reads and stages the multipart body; called only once the caller is known. */
  readForm(): Promise<UploadForm>;
}

export interface UploadResult {
  /** False when an identical file was already there (idempotent re-upload, PyPI semantics). */
  created: boolean;
  message: string;
}

/** The legacy upload API's use-case: validate, stage the bytes, then publish with compare-and-swap. */
export class Uploads {
  constructor(private readonly deps: { store: BlobStore; writer: PrivateProjectWriter; pages: ProjectPages; audit: AuditClient }) {}

  /**
   * Authenticates, then reads the form (the transport stages the file), then validates and stores; a
   * failure at any step is an audit event too. Credentials are checked before the body is read.
   */
  async upload(request: UploadRequest, ctx: RequestContext): Promise<UploadResult> {
    let user: string | undefined;
    let form: UploadForm | undefined;
    let valid: ValidUpload | undefined;
    try {
      const principal = await request.authenticate();
      user = principal.user.name;
      form = await request.readForm();
      valid = validateUpload(form);
      const result = await this.store(valid, principal);
      recordEvent(this.deps.audit, ctx, {
        event_type: 'pypi.package.upload', status_code: 200, package: valid.normalized, version: valid.version,
        filename: valid.content.filename, size: valid.content.size, extra: { user, created: String(result.created) },
      });
      return result;
    } catch (err) {
      recordEvent(this.deps.audit, ctx, {
        event_type: 'pypi.package.upload', status_code: ctx.statusOfError(err), package: valid?.normalized ?? null,
        version: valid?.version ?? null, filename: form?.content?.filename ?? null, size: form?.content?.size ?? null,
        extra: user === undefined ? {} : { user },
      });
      throw err;
    }
  }

  private async store(valid: ValidUpload, principal: Principal): Promise<UploadResult> {
    const { normalized, content } = valid;
    if (principal.readonly) throw new AppError('forbidden', 'This token is read-only and cannot upload.');
    const current = (await loadPrivateProject(this.deps.store, normalized)).project;
    checkCanUpload(current, principal, normalized);
    if (isIdenticalUpload(current, content.filename, content.sha256)) return { created: false, message: 'File already exists and is identical' };
    const metadata = await extractMetadata(valid);
    const record: PrivateFileRecord = {
      filename: content.filename, version: valid.version, kind: valid.kind, sha256: content.sha256, blake2b256: content.blake2b256,
      size: content.size, uploadTime: new Date().toISOString(),
      requiresPython: valid.requiresPython ?? (metadata ? (coreMetadataField(metadata, 'Requires-Python') ?? null) : null),
      metadataSha256: metadata ? createHash('sha256').update(new Uint8Array(metadata)).digest('hex') : null,
      yanked: false, uploader: principal.user.name,
    };
    await this.writeBlobs(normalized, record, valid, metadata);
    let created = true;
    await this.deps.writer.update(normalized, (project) => {
      checkCanUpload(project, principal, normalized);
      if (isIdenticalUpload(project, record.filename, record.sha256)) {
        created = false;
        return undefined;
      }
      const base: PrivateProject = project ?? { name: valid.name, owners: [principal.user.name], files: {}, deletedFilenames: [] };
      return { ...base, files: { ...base.files, [record.filename]: record } };
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
}

function checkCanUpload(project: PrivateProject | undefined, principal: Principal, normalized: string): void {
  if (project === undefined || principal.user.roles.includes('admin') || project.owners.includes(principal.user.name)) return;
  throw new AppError('forbidden', `The user '${principal.user.name}' isn't allowed to upload to project '${normalized}'.`);
}

function isIdenticalUpload(project: PrivateProject | undefined, filename: string, sha256: string): boolean {
  if (project?.deletedFilenames.includes(filename)) {
    throw new AppError('invalid_request', 'This filename has already been used, use a different version.');
  }
  const existing = project?.files[filename];
  if (existing === undefined) return false;
  if (existing.sha256 === sha256) return true;
  // twine, poetry and uv recognise this wording (protocols §2.5).
  throw new AppError('conflict', `File already exists ('${filename}', with sha256 hash '${existing.sha256}').`);
}

/** PEP 658: the wheel's METADATA, served as `<file>.metadata`; sdists are checked for their archive format only. */
async function extractMetadata(valid: ValidUpload): Promise<Buffer | undefined> {
  const { content } = valid;
  try {
    if (valid.kind === 'wheel') return await readWheelMetadata(content.source, valid.name);
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

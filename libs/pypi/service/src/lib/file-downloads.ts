import type { Readable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import type { AuditClient } from '@registry/audit-client';
import type { BlobStore, ByteRange } from '@registry/storage-blob-store';
import type { PypiUpstream } from '@registry/pypi-upstream';
import { parseDistributionFilename } from '@registry/pypi-protocol';
import { reportWhenStreamed } from './audit-on-finish';
import type { ReadThrough } from '@registry/storage-read-through';
import type { ProjectPages } from './project-pages';
import { recordEvent, type RequestContext } from './request-context';
import { storageKeys } from './storage-keys';

export interface FileDownload {
  /** Undefined for HEAD. */
  body: Readable | undefined;
  /** Total size of the file, when known. */
  size: number | null;
  /** Set when `body` holds only this range (206). */
  range?: ByteRange;
  sha256: string | null;
  lastModified: Date | null;
  contentType: string;
  source: 'cache' | 'upstream';
}

export interface DownloadRequest {
  project: string;
  /** A distribution filename, or one followed by `.metadata` (PEP 658). */
  filename: string;
  range?: ByteRange;
  headOnly: boolean;
}

interface Located {
  key: string;
  sha256: string | null;
  version: string | null;
  /** How to fill the cache on a miss; undefined for private files (they are always stored). */
  upstream?: { url: string; size: number | null };
}

const METADATA_SUFFIX = '.metadata';

/** Serves files and their PEP 658 metadata: from the store, or through the read-through on a miss. */
export class FileDownloads {
  constructor(
    private readonly deps: { store: BlobStore; pages: ProjectPages; upstream: PypiUpstream | undefined; readThrough: ReadThrough; audit: AuditClient },
  ) {}

  async download(req: DownloadRequest, ctx: RequestContext): Promise<FileDownload> {
    const isMetadata = req.filename.endsWith(METADATA_SUFFIX);
    const distFilename = isMetadata ? req.filename.slice(0, -METADATA_SUFFIX.length) : req.filename;
    const event = {
      event_type: isMetadata ? ('pypi.package.metadata' as const) : ('pypi.package.download' as const),
      package: req.project,
      filename: req.filename,
      version: parseDistributionFilename(distFilename, req.project)?.version ?? null,
    };
    try {
      const located = await this.locate(req.project, distFilename, isMetadata);
      const result = await this.open(located, req, ctx.signal);
      const upstreamType = isMetadata ? 'pypi.package.metadata' : 'pypi.package.download.upstream';
      const base = { ...event, version: located.version ?? event.version, source: result.source };
      const type = result.source === 'upstream' ? upstreamType : event.event_type;
      const status = result.range ? 206 : 200;
      if (result.body === undefined) recordEvent(this.deps.audit, ctx, { ...base, event_type: type, status_code: status, size: result.size });
      else reportWhenStreamed(result.body, status, (s) => recordEvent(this.deps.audit, ctx, { ...base, event_type: type, status_code: s, size: result.size }));
      return result;
    } catch (err) {
      recordEvent(this.deps.audit, ctx, { ...event, status_code: ctx.statusOfError(err) });
      throw err;
    }
  }

  private async locate(project: string, filename: string, isMetadata: boolean): Promise<Located> {
    const record = (await this.deps.pages.privateProject(project))?.files[filename];
    if (record !== undefined) {
      if (isMetadata && record.metadataSha256 === null) throw new AppError('not_found', `no metadata file for ${filename}`);
      return isMetadata
        ? { key: storageKeys.privateMetadata(project, record.sha256, filename), sha256: record.metadataSha256, version: record.version }
        : { key: storageKeys.privateFile(project, record.sha256, filename), sha256: record.sha256, version: record.version };
    }
    const key = isMetadata ? storageKeys.upstreamMetadata(project, filename) : storageKeys.upstreamFile(project, filename);
    const stored = await this.deps.store.head(key);
    if (stored !== undefined) return { key, sha256: stored.digests.sha256 ?? null, version: null };
    const file = await this.deps.pages.upstreamFile(project, filename);
    if (file === undefined) throw new AppError('not_found', `no file ${filename} in project ${project}`);
    const metadataSha = typeof file.coreMetadata === 'object' ? file.coreMetadata['sha256'] : undefined;
    const sha256 = isMetadata ? metadataSha : file.hashes['sha256'];
    if (sha256 === undefined) throw new AppError('not_found', `no verifiable ${isMetadata ? 'metadata for' : 'hash for'} ${filename}`);
    const url = isMetadata ? `${file.url}${METADATA_SUFFIX}` : file.url;
    if (this.deps.upstream === undefined || !this.deps.upstream.isAllowedFileUrl(url)) {
      throw new AppError('forbidden', `upstream URL of ${filename} is not on a configured upstream host`);
    }
    return { key, sha256, version: null, upstream: { url, size: isMetadata ? null : file.size } };
  }

  private async open(located: Located, req: DownloadRequest, signal: AbortSignal | undefined): Promise<FileDownload> {
    const contentType = req.filename.endsWith(METADATA_SUFFIX) ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    if (located.upstream === undefined || (await this.deps.store.head(located.key)) !== undefined) {
      return this.fromStore(located, req, contentType);
    }
    const { url, size } = located.upstream;
    const base = { size, sha256: located.sha256, lastModified: null, contentType, source: 'upstream' as const };
    // HEAD on a miss answers from the page's size: never download a whole artifact for a HEAD (protocols §8.12).
    if (req.headOnly) return { ...base, body: undefined };
    const upstream = this.deps.upstream as PypiUpstream;
    // Verify-before-commit and coalescing live in the shared read-through (style §3.9).
    const fetched = await this.deps.readThrough.fetchThrough(located.key, {
      fetchUpstream: async (downloadSignal) => {
        const file = await upstream.openFile(url, { signal: downloadSignal });
        // A reset right after the headers can error the body before the read-through starts reading it;
        // without a listener that would crash the process. The read-through still sees it (stream.errored).
        file.body.on('error', () => undefined);
        return { body: file.body, ...(file.size !== null ? { size: file.size } : {}) };
      },
      expectedDigest: { algorithm: 'sha256', hex: located.sha256 as string },
      ...(size !== null ? { expectedSize: size } : {}),
      contentType,
      ...(signal ? { signal } : {}),
    });
    return { ...base, body: fetched.body, source: fetched.source };
  }

  private async fromStore(located: Located, req: DownloadRequest, contentType: string): Promise<FileDownload> {
    if (req.headOnly) {
      const meta = await this.deps.store.head(located.key);
      if (meta === undefined) throw new AppError('not_found', `${req.filename} vanished from the store`);
      return { body: undefined, size: meta.size, sha256: located.sha256, lastModified: meta.storedAt, contentType, source: 'cache' };
    }
    const range = await this.absoluteRange(located.key, req.range);
    const blob = await this.deps.store.get(located.key, range ? { range } : {});
    if (blob === undefined) throw new AppError('not_found', `${req.filename} vanished from the store`);
    const out: FileDownload = { body: blob.body, size: blob.meta.size, sha256: located.sha256, lastModified: blob.meta.storedAt, contentType, source: 'cache' };
    if (blob.range !== undefined) out.range = blob.range;
    return out;
  }

  /** A suffix range (`bytes=-n`, start < 0) becomes absolute once the size is known. */
  private async absoluteRange(key: string, range: ByteRange | undefined): Promise<ByteRange | undefined> {
    if (range === undefined || range.start >= 0) return range;
    const meta = await this.deps.store.head(key);
    if (meta === undefined || meta.size === 0) return undefined;
    return { start: Math.max(0, meta.size + range.start), end: meta.size - 1 };
  }
}

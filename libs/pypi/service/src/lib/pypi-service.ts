import type { AuditClient } from '@registry/audit-client';
import type { Principal } from '@registry/auth-identity';
import type { BlobStore } from '@registry/storage-blob-store';
import type { Logger } from '@registry/shared-logger';
import { mediaTypeOf, renderProjectList, type SimpleFormat } from '@registry/pypi-protocol';
import type { PypiUpstream } from '@registry/pypi-upstream';
import type { ReadThrough } from '@registry/storage-read-through';
import { FileDownloads, type DownloadRequest, type FileDownload } from './file-downloads';
import { ManageFiles } from './manage-files';
import { PrivateProjectWriter, type PrivateFileRecord } from './private-projects';
import { ProjectPages, type RenderedPage } from './project-pages';
import { recordEvent, type RequestContext } from './request-context';
import { storageKeys } from './storage-keys';
import { Uploads, type UploadRequest, type UploadResult } from './uploads';
import { UpstreamPages } from './upstream-pages';

export interface PypiServiceOptions {
  store: BlobStore;
  /** Undefined: private-only index. */
  upstream: PypiUpstream | undefined;
  audit: AuditClient;
  logger: Logger;
  /** Pull-through of immutable files (createReadThrough from storage-read-through). */
  readThrough: ReadThrough;
  /** Our own URL of a file, e.g. `/files/<project>/<filename>` (percent-encoded). */
  fileUrl: (project: string, filename: string) => string;
  /** Path of the simple root as clients see it, for links on the root page. */
  simpleBase: string;
  metadataTtlMs: number;
  negativeTtlMs: number;
  mergeAllowlist: readonly string[];
  /** How long another instance's upload may stay unseen by this one (default 2 s). */
  privateRecheckMs?: number;
  /** Memory budget of the project page cache (default 64 MiB). */
  pageCacheMaxBytes?: number;
  now?: () => number;
}

export interface ProjectPageResponse {
  page: RenderedPage;
  notModified: boolean;
  stale: boolean;
}

export interface PypiService {
  projectList(format: SimpleFormat, ctx: RequestContext): Promise<RenderedPage>;
  projectPage(project: string, format: SimpleFormat, ifNoneMatch: string | undefined, ctx: RequestContext): Promise<ProjectPageResponse>;
  download(req: DownloadRequest, ctx: RequestContext): Promise<FileDownload>;
  upload(request: UploadRequest, ctx: RequestContext): Promise<UploadResult>;
  setYanked(project: string, filename: string, yanked: false | string, principal: Principal, ctx: RequestContext): Promise<PrivateFileRecord>;
  deleteFile(project: string, filename: string, principal: Principal, ctx: RequestContext): Promise<PrivateFileRecord>;
}

/** Wires the PyPI use-cases over the store, the upstream and the audit client (transport-free). */
export function createPypiService(opts: PypiServiceOptions): PypiService {
  const { store, audit, logger } = opts;
  const upstreamPages = opts.upstream && new UpstreamPages({
    store, upstream: opts.upstream, logger, ttlMs: opts.metadataTtlMs, negativeTtlMs: opts.negativeTtlMs, ...(opts.now ? { now: opts.now } : {}),
  });
  const pages = new ProjectPages({
    store, upstreamPages, logger, fileUrl: opts.fileUrl,
    isAllowedUpstreamUrl: (url) => opts.upstream?.isAllowedFileUrl(url) ?? false,
    mergeAllowlist: new Set(opts.mergeAllowlist),
    privateRecheckMs: opts.privateRecheckMs ?? 2_000,
    maxCacheBytes: opts.pageCacheMaxBytes ?? 64 * 1024 * 1024,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const downloads = new FileDownloads({ store, pages, upstream: opts.upstream, readThrough: opts.readThrough, audit });
  const writer = new PrivateProjectWriter(store);
  const uploads = new Uploads({ store, writer, pages, audit });
  const manage = new ManageFiles({ store, writer, pages, audit });

  return {
    async projectList(format, ctx) {
      try {
        const names = new Set<string>();
        for await (const key of store.list(storageKeys.privateProjectsPrefix)) names.add(baseName(key));
        for await (const key of store.list(storageKeys.upstreamPagesPrefix)) names.add(baseName(key));
        const body = Buffer.from(renderProjectList([...names].sort(), format, opts.simpleBase));
        recordEvent(audit, ctx, { event_type: 'pypi.index.list', status_code: 200, size: body.length });
        return { body, etag: '', contentType: mediaTypeOf(format), gzipped: () => ({ body, etag: '' }) };
      } catch (err) {
        recordEvent(audit, ctx, { event_type: 'pypi.index.list', status_code: ctx.statusOfError(err) });
        throw err;
      }
    },

    async projectPage(project, format, ifNoneMatch, ctx) {
      try {
        const { rendered, stale, source } = await pages.get(project, format);
        const notModified = ifNoneMatch !== undefined && (etagMatches(ifNoneMatch, rendered.etag) || etagMatches(ifNoneMatch, rendered.gzipped().etag));
        recordEvent(audit, ctx, {
          event_type: 'pypi.package.metadata', status_code: notModified ? 304 : 200, package: project, source,
          size: notModified ? 0 : rendered.body.length, extra: stale ? { stale: 'true' } : {},
        });
        return { page: rendered, notModified, stale };
      } catch (err) {
        recordEvent(audit, ctx, { event_type: 'pypi.package.metadata', status_code: ctx.statusOfError(err), package: project });
        throw err;
      }
    },

    download: (req, ctx) => downloads.download(req, ctx),
    upload: (request, ctx) => uploads.upload(request, ctx),
    setYanked: (project, filename, yanked, principal, ctx) => manage.setYanked(project, filename, yanked, principal, ctx),
    deleteFile: (project, filename, principal, ctx) => manage.delete(project, filename, principal, ctx),
  };
}

const baseName = (key: string): string => key.slice(key.lastIndexOf('/') + 1).replace(/\.json$/, '');

/** If-None-Match: a list of (possibly weak) tags or `*`, compared weakly (RFC 9110 §13.1.2). */
function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => bare(tag) === bare(etag));
}

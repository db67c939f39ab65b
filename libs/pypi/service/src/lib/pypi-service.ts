import type { Principal } from '@registry/auth-identity';
import { AppError } from '@registry/shared-errors';
import type { BlobStore } from '@registry/storage-blob-store';
import type { Logger } from '@registry/shared-logger';
import {
  claimableNames, createReadThrough, memoryTierOf, UpstreamDocumentCache, type ClaimCheck, type DownloadRedirect, type UpstreamDocumentSource, type UpstreamHealth,
} from '@registry/storage-read-through';
import {
  parseUpstreamPage, SimplePageParseError, type ProjectPage, type ProjectStatus, type ProvenanceLocation, type SimpleFormat,
} from '@registry/pypi-protocol';
import { FileDownloads, type FileDownload, type FileRequest } from './file-downloads';
import { ManageFiles } from './manage-files';
import type { PypiUpstream } from './ports';
import type { PrivateFileRecord } from './private-projects';
import { ProjectPages, type ProjectPageResult, type ServedProject } from './project-pages';
import { Provenances, type ProvenanceAnswer } from './provenances';
import { ProjectList } from './project-list';
import { storageKeys } from './storage-keys';
import { Firewall } from '@registry/policy-firewall';
import { Uploads, validateUpload, type UploadForm, type UploadResult, type ValidUpload } from './uploads';

export interface PypiServiceDeps {
  store: BlobStore;
  /** Undefined: private-only index. */
  upstream: PypiUpstream | undefined;
  logger: Logger;
  /** Our own URL of a file, e.g. `/files/<project>/<filename>` (percent-encoded). */
  fileUrl: (project: string, filename: string) => string;
  /** Path of the simple root as clients see it, for links on the root page. */
  simpleBase: string;
  metadataTtlMs: number;
  notFoundTtlMs: number;
  /** How long the upstream root index (every project name) is believed; default 6 h. */
  rootIndexTtlMs?: number;
  /** Past the TTL, how long a copy is served at once while it is revalidated in the background. */
  staleWhileRevalidateMs?: number;
  /** The upstream client's circuit breaker: while it refuses, copies are served at once (stale). */
  upstreamHealth?: UpstreamHealth;
  /** Names (normalized) with private uploads whose upstream files are still merged in. */
  mergeAllowlist: readonly string[];
  /** Names (normalized) the upstream serves that a first upload may still claim (PYPI_CLAIMABLE_NAMES, `*` wildcards). */
  claimableNames?: readonly string[];
  /** How long another instance's upload may stay unseen by this one. */
  privateRecheckMs: number;
  /** How long a project another instance added (or an operator removed) may be missing from (or stay on) the root page here. */
  projectListRecheckMs: number;
  /** Memory budget of the metadata caches (bytes): half for served pages, half for upstream copies. */
  metadataCacheBytes: number;
  /** Memory budget for hot files (bytes, the read-through's memory tier, as npm's tarballs); 0 or none turns it off. */
  fileCacheBytes?: number;
  /** Base URL of this index as clients reach it, for the absolute Integrity API URLs in pages; '' = host-relative. */
  baseUrl: string;
  /** Where upstream downloads in progress are spooled; default the OS temp dir. */
  spoolDir?: string;
  /** STORAGE_DOWNLOAD_REDIRECT=presigned: cached files are answered with a URL of their object (`FileDownload.location`). */
  downloadRedirect?: DownloadRedirect;
  /** The supply-chain firewall (README "Firewall"); none: every upstream file is served. */
  firewall?: Firewall;
  now?: () => number;
}

/** The PyPI index's use-cases, transport-free: every route calls one of these. */
export interface PypiService {
  /** The root page (`/simple/`) in the asked format. */
  projectList(format: SimpleFormat): Promise<Buffer>;
  projectPage(project: string, format: SimpleFormat): Promise<ProjectPageResult>;
  /** The same page parsed, with the firewall's holds (the web console). */
  servedProject(project: string): Promise<ServedProject>;
  /** Names (normalized) of the private projects `user` owns (the web console's account page). */
  projectsOwnedBy(user: string): Promise<string[]>;
  openFile(req: FileRequest): Promise<FileDownload>;
  /** PyPI's upload checks (protocols §2.4) on a parsed form: what the route declares before storing. */
  validateUpload(form: UploadForm): ValidUpload;
  upload(valid: ValidUpload, principal: Principal): Promise<UploadResult>;
  setYanked(project: string, filename: string, yanked: false | string, principal: Principal): Promise<PrivateFileRecord>;
  deleteFile(project: string, filename: string, principal: Principal): Promise<PrivateFileRecord>;
  /** PEP 792 status of a private project (owners and admins). */
  setProjectStatus(project: string, status: ProjectStatus, principal: Principal): Promise<ProjectStatus>;
  /** A file's PEP 740 provenance object (the Integrity API); AppError('not_found') when it has none. */
  provenance(loc: ProvenanceLocation): Promise<ProvenanceAnswer>;
  /** Stops the background work (the root page's relist). */
  close(): void;
}

/**
 * How PYPI_METADATA_CACHE_BYTES is shared, summing to the whole budget: served project pages (rendered, with their
 * parsed data) and the upstream copies they are merged from, the upstream root index (one large document), and
 * provenance objects (small and rarely read).
 */
const METADATA_SHARE = { served: 6 / 16, upstreamCopies: 6 / 16, rootIndex: 3 / 16, provenance: 1 / 16 } as const;

/** Builds the PyPI use-cases over the store and the upstream port; the app's createApp calls it once. */
export function createPypiService(deps: PypiServiceDeps): PypiService {
  const { logger, upstream } = deps;
  const now = deps.now ?? Date.now;
  const projectList = new ProjectList({
    store: deps.store, upstream, logger, ttlMs: deps.rootIndexTtlMs ?? 6 * 3_600_000, maxBytes: deps.metadataCacheBytes * METADATA_SHARE.rootIndex, clock: { now }, simpleBase: deps.simpleBase,
    recheckMs: deps.projectListRecheckMs, ...(deps.upstreamHealth ? { health: deps.upstreamHealth } : {}),
  });
  // Every write goes through this view, so the root page lists what this instance stored at once.
  const store = projectList.watching(deps.store);
  const upstreamDocs = upstream && new UpstreamDocumentCache({
    source: upstreamPages(upstream), store, logger, ttlMs: deps.metadataTtlMs, notFoundTtlMs: deps.notFoundTtlMs,
    maxBytes: deps.metadataCacheBytes * METADATA_SHARE.upstreamCopies, clock: { now },
    ...(deps.staleWhileRevalidateMs ? { staleWhileRevalidateMs: deps.staleWhileRevalidateMs } : {}),
    ...(deps.upstreamHealth ? { health: deps.upstreamHealth } : {}),
  });
  const pages = new ProjectPages({
    store, upstreamDocs, logger, fileUrl: deps.fileUrl, baseUrl: deps.baseUrl.replace(/\/+$/, ''),
    mergeAllowlist: new Set(deps.mergeAllowlist), privateRecheckMs: deps.privateRecheckMs, maxCacheBytes: deps.metadataCacheBytes * METADATA_SHARE.served, now,
    firewall: deps.firewall ?? Firewall.off(),
  });
  const readThrough = createReadThrough({
    store, logger, ...(deps.spoolDir ? { spoolDir: deps.spoolDir } : {}), ...(deps.downloadRedirect ? { redirect: deps.downloadRedirect } : {}),
    memory: memoryTierOf(deps.fileCacheBytes ?? 0),
  });
  const downloads = new FileDownloads({ pages, upstream, readThrough, store });
  const claimable = claimableNames(deps.claimableNames ?? []);
  // A merge-allowlisted name keeps its upstream files: claiming it hides nothing.
  const claims: ClaimCheck = { upstreamDocs, setting: 'PYPI_CLAIMABLE_NAMES', mayClaim: (name) => claimable(name) || deps.mergeAllowlist.includes(name) };
  const uploads = new Uploads({ store, pages, claims });
  const manage = new ManageFiles({ store, pages });
  const provenances = new Provenances({
    store, pages, upstream, logger, ttlMs: deps.metadataTtlMs, notFoundTtlMs: deps.notFoundTtlMs, maxBytes: deps.metadataCacheBytes * METADATA_SHARE.provenance, clock: { now },
    ...(deps.upstreamHealth ? { health: deps.upstreamHealth } : {}),
  });

  return {
    projectList: (format) => projectList.render(format),
    projectPage: (project, format) => pages.get(project, format),
    servedProject: (project) => pages.served(project),
    projectsOwnedBy: async (user) => {
      const names: string[] = [];
      for await (const key of store.list(storageKeys.privateProjectsPrefix)) names.push(key.slice(storageKeys.privateProjectsPrefix.length).replace(/\.json$/, ''));
      const owned = await Promise.all(names.map(async (name) => ((await pages.privateProject(name))?.owners.includes(user) ? name : undefined)));
      return owned.filter((n): n is string => n !== undefined).sort();
    },
    openFile: (req) => downloads.open(req),
    validateUpload,
    upload: (valid, principal) => uploads.upload(valid, principal),
    setYanked: (project, filename, yanked, principal) => manage.setYanked(project, filename, yanked, principal),
    deleteFile: (project, filename, principal) => manage.delete(project, filename, principal),
    setProjectStatus: (project, status, principal) => manage.setStatus(project, status, principal),
    provenance: (loc) => provenances.open(loc),
    close: () => projectList.stop(),
  };
}


/** What the PyPI side supplies to the one upstream-document cache: fetch (the upstream port) and parse. */
export function upstreamPages(upstream: PypiUpstream): UpstreamDocumentSource<ProjectPage> {
  return {
    storageKey: storageKeys.upstreamPage,
    fetch: (project, etag) => upstream.fetchProjectPage(project, etag),
    parse(project, fetched) {
      try {
        return parseUpstreamPage(fetched.body.toString('utf8'), fetched.contentType ?? 'text/html', fetched.url ?? '', project);
      } catch (err) {
        if (err instanceof SimplePageParseError) throw new AppError('upstream_unavailable', `${err.message} (${fetched.url ?? project})`, { cause: err });
        throw err;
      }
    },
  };
}

import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import { SingleFlight, SizeClassedLru } from '@registry/shared-util';
import type { BlobStore } from '@registry/storage-blob-store';
import type { UpstreamDocumentCache } from '@registry/storage-read-through';
import { renderProjectPage, type DistributionFile, type ProjectPage, type ProjectStatus, type SimpleFormat } from '@registry/pypi-protocol';
import { loadPrivateProject, privateFileOf, type PrivateFileRecord, type PrivateProject } from './private-projects';
import { mergeProjectPage } from './merge-project-page';
import { storageKeys } from './storage-keys';
import { factsOfReview, Firewall, refusalOf, type Hold, type Review } from '@registry/policy-firewall';
import { filterPage, indexPage, type PagePolicy } from './served-page';

export interface ProjectPageResult {
  /** The page serialized in the asked format, made once per change and kept. */
  body: Buffer;
  /** True when the upstream failed and its last good page is in this one (stale-if-error). */
  stale: boolean;
  /** 'upstream' when building it needed the upstream (a fetch or revalidation), else 'cache'. */
  source: 'cache' | 'upstream';
  /** 'private' when the project has uploads here (its event says so: not the pull-through cache's doing). */
  origin: 'private' | 'upstream';
  /** The firewall rule behind a filtered page (the event's `extra.policy`, `extra.advisory`); undefined when nothing was filtered. */
  policy: Record<string, string> | undefined;
}

/** A project's page as served now, parsed, with the files the firewall holds (by filename). */
export interface ServedProject {
  page: ProjectPage;
  held: ReadonlyMap<string, Hold>;
  origin: 'private' | 'upstream';
  stale: boolean;
}

interface CachedPage {
  privateEtag: string | undefined;
  privateProject: PrivateProject | undefined;
  privateCheckedAt: number;
  /** Stamp of the upstream document the page was merged from ('' for none). */
  upstreamStamp: string;
  upstreamPage: ProjectPage | undefined;
  merged: ProjectPage;
  rendered: Partial<Record<SimpleFormat, Buffer>>;
  /** The firewall's index of the merged page, made on first need. */
  policy?: PagePolicy;
  /** The upstream files the merged page offers, by filename, made on first need. */
  upstreamFiles?: Map<string, DistributionFile>;
}

/** A file a download may serve: a private upload (its project's PEP 792 status decides too) or an upstream one. */
export type ServedFile =
  | { origin: 'private'; record: PrivateFileRecord; status: ProjectStatus | undefined }
  | { origin: 'upstream'; file: DistributionFile; policy: 'waiver' | undefined };

export interface ProjectPagesOptions {
  store: BlobStore;
  /** The upstream pages (the shared upstream-document cache); undefined: private-only. */
  upstreamDocs: UpstreamDocumentCache<ProjectPage> | undefined;
  fileUrl: (project: string, filename: string) => string;
  /** Base URL of this index for absolute Integrity API URLs in pages (protocols §11); '' = host-relative. */
  baseUrl: string;
  /** Names (normalized) whose upstream files are merged in even though they have private uploads. */
  mergeAllowlist: ReadonlySet<string>;
  /**
   * How long another instance's upload may stay unseen here. This instance's own writes show at once
   * (`invalidate`); after this delay a request rechecks the cached project document with one `head`
   * (etag compare, shared by concurrent requests) and re-reads it only when it changed.
   */
  privateRecheckMs: number;
  /** Memory budget of the cache (rendered bytes plus an estimate of the parsed pages); LRU beyond it. */
  maxCacheBytes: number;
  logger: Logger;
  /** The supply-chain firewall (README "Firewall"), applied at request time over the cached page. */
  firewall?: Firewall;
  now?: () => number;
}

/** Merged, rendered project pages (private + upstream), cached in memory and invalidated on change. */
export class ProjectPages {
  private readonly cache: SizeClassedLru<string, CachedPage>;
  private readonly rechecks = new SingleFlight<boolean>();
  private readonly now: () => number;
  private readonly firewall: Firewall;

  constructor(private readonly opts: ProjectPagesOptions) {
    this.now = opts.now ?? Date.now;
    this.firewall = opts.firewall ?? Firewall.off();
    this.cache = new SizeClassedLru({ maxBytes: opts.maxCacheBytes });
  }

  invalidate(project: string): void {
    this.cache.delete(project);
  }

  async get(project: string, format: SimpleFormat): Promise<ProjectPageResult> {
    const { entry, stale, source } = await this.resolve(project);
    const origin = entry.privateProject === undefined ? 'upstream' : 'private';
    const review = this.review(entry);
    if (review.held.size > 0) return { body: this.filteredBody(entry, review, format), stale, source, origin, policy: factsOfReview(review) };
    let body = entry.rendered[format];
    if (body === undefined) {
      body = entry.rendered[format] = Buffer.from(renderProjectPage(entry.merged, format));
      this.cache.reweigh(project, entry, weightOf(entry));
    }
    return { body, stale, source, origin, policy: factsOfReview(review) };
  }

  /**
   * The page as clients are served it now, parsed (the web console's project page): the firewall's held files
   * left out and listed with their holds.
   */
  async served(project: string): Promise<ServedProject> {
    const { entry, stale } = await this.resolve(project);
    const review = this.review(entry);
    const page = review.held.size > 0 ? filterPageOnce(entry, review) : entry.merged;
    return { page, held: review.held, origin: entry.privateProject === undefined ? 'upstream' : 'private', stale };
  }

  /**
   * What a download of `filename` may serve, from the cached page (one resolve: a download reads no project
   * document of its own): the private record when the project has one of that name, else the upstream
   * description of a file the current page serves. AppError('forbidden') naming the rule when the firewall holds
   * it now; `waiver` when an exemption lets it through; undefined when the page does not offer it.
   */
  async servedFile(project: string, filename: string): Promise<ServedFile | undefined> {
    const { entry } = await this.resolve(project);
    const record = privateFileOf(entry.privateProject, filename);
    if (record !== undefined) return { origin: 'private', record, status: entry.privateProject?.status };
    const file = this.upstreamFileOf(entry, filename);
    if (file === undefined) return undefined;
    const review = this.review(entry);
    const hold = review.held.get(filename);
    if (hold) throw refusalOf(hold);
    return { origin: 'upstream', file, policy: review.waived.has(filename) ? 'waiver' : undefined };
  }

  /** The firewall's decision over a cached page, now (cheap when nothing applies). */
  private review(entry: CachedPage): Review {
    if (!this.firewall.enabled) return this.firewall.review(EMPTY_INDEX);
    entry.policy ??= { index: indexPage(entry.merged, new Set(Object.keys(entry.privateProject?.files ?? {}))) };
    return this.firewall.review(entry.policy.index);
  }

  /** The filtered page's bytes, kept while the same releases are held (the clock moves them only at edges). */
  private filteredBody(entry: CachedPage, review: Review, format: SimpleFormat): Buffer {
    filterPageOnce(entry, review);
    const filtered = (entry.policy as PagePolicy).filtered as NonNullable<PagePolicy['filtered']>;
    return (filtered.rendered[format] ??= Buffer.from(renderProjectPage(filtered.page, format)));
  }

  /** The upstream description of a file still advertised by the current page (for a cache miss). */
  async upstreamFile(project: string, filename: string): Promise<DistributionFile | undefined> {
    const { entry } = await this.resolve(project);
    return this.upstreamFileOf(entry, filename);
  }

  /** Indexed on first need: a project of thousands of files is not scanned per download. */
  private upstreamFileOf(entry: CachedPage, filename: string): DistributionFile | undefined {
    if (entry.upstreamFiles === undefined) {
      const offered = new Set(entry.merged.files.map((f) => f.filename));
      entry.upstreamFiles = new Map((entry.upstreamPage?.files ?? []).filter((f) => offered.has(f.filename)).map((f) => [f.filename, f]));
    }
    return entry.upstreamFiles.get(filename);
  }

  /** The private project document, at most `privateRecheckMs` old. */
  async privateProject(project: string): Promise<PrivateProject | undefined> {
    const cached = this.cache.get(project);
    if (cached !== undefined && this.now() - cached.privateCheckedAt < this.opts.privateRecheckMs) return cached.privateProject;
    if (cached !== undefined && (await this.recheck(project, cached))) return cached.privateProject;
    return (await loadPrivateProject(this.opts.store, project)).project;
  }

  private async resolve(project: string): Promise<{ entry: CachedPage; stale: boolean; source: 'cache' | 'upstream' }> {
    let cached = this.cache.get(project);
    if (cached !== undefined && this.now() - cached.privateCheckedAt >= this.opts.privateRecheckMs && !(await this.recheck(project, cached))) {
      cached = undefined;
    }
    const privateSnapshot = cached ? { project: cached.privateProject, etag: cached.privateEtag } : await loadPrivateProject(this.opts.store, project);
    const privateProject = privateSnapshot.project;
    const upstream = await this.upstreamView(project, privateProject !== undefined);
    if (cached !== undefined && cached.upstreamStamp === upstream.stamp) return { entry: cached, stale: upstream.stale, source: upstream.source };
    if (privateProject === undefined && upstream.page === undefined) throw new AppError('not_found', `no project named ${project}`);
    const merged = mergeProjectPage({
      name: project,
      privateProject,
      upstreamPage: upstream.page,
      fileUrl: (filename) => this.opts.fileUrl(project, filename),
      baseUrl: this.opts.baseUrl,
    });
    const entry: CachedPage = {
      privateEtag: privateSnapshot.etag, privateProject, privateCheckedAt: this.now(),
      upstreamStamp: upstream.stamp, upstreamPage: upstream.page, merged, rendered: {},
    };
    this.cache.set(project, entry, weightOf(entry));
    return { entry, stale: upstream.stale, source: upstream.source };
  }

  /** True (and the entry marked checked) when the stored project document is still the cached one. */
  private recheck(project: string, cached: CachedPage): Promise<boolean> {
    return this.rechecks.run(project, async () => {
      const meta = await this.opts.store.head(storageKeys.privateProject(project));
      if (meta?.etag !== cached.privateEtag) return false;
      cached.privateCheckedAt = this.now();
      return true;
    });
  }

  /**
   * Dependency-confusion guard (protocols §8.18): a name with private uploads never consults the upstream
   * unless it is on the merge allow-list; then an upstream failure leaves the private files only.
   */
  private async upstreamView(project: string, hasPrivate: boolean): Promise<{ page: ProjectPage | undefined; stamp: string; stale: boolean; source: 'cache' | 'upstream' }> {
    const none = { page: undefined, stamp: '', stale: false, source: 'cache' as const };
    if (this.opts.upstreamDocs === undefined || (hasPrivate && !this.opts.mergeAllowlist.has(project))) return none;
    try {
      const { document, stale, source } = await this.opts.upstreamDocs.get(project);
      return { page: document?.doc, stamp: document?.stamp ?? '', stale, source };
    } catch (err) {
      if (!hasPrivate) throw err;
      this.opts.logger.warn({ err, project }, 'upstream failed; serving private files only');
      return { ...none, stamp: 'unavailable', stale: true };
    }
  }
}

/** The filtered page of an entry under a review, kept while the same releases are held. */
function filterPageOnce(entry: CachedPage, review: Review): ProjectPage {
  const policy = entry.policy as PagePolicy;
  if (policy.filtered?.key !== review.key) policy.filtered = { key: review.key, page: filterPage(entry.merged, review), rendered: {} };
  return policy.filtered.page;
}

const EMPTY_INDEX = indexPage({ name: '', versions: [], files: [] }, new Set());

/**
 * Rough resident size of an entry: its rendered bytes (and as much again for the gzipped copy, made on
 * demand) plus the parsed private, upstream and merged pages, estimated per file (measured ~0.6 KB each).
 */
const PARSED_BYTES_PER_FILE = 2048;
function weightOf(entry: CachedPage): number {
  const renderedBytes = Object.values(entry.rendered).reduce((sum, body) => sum + 2 * body.length, 0);
  const files = entry.merged.files.length + (entry.upstreamPage?.files.length ?? 0) + Object.keys(entry.privateProject?.files ?? {}).length;
  return renderedBytes + files * PARSED_BYTES_PER_FILE;
}

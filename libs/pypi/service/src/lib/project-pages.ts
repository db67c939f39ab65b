import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { AppError } from '@registry/shared-errors';
import type { BlobStore } from '@registry/storage-blob-store';
import { Lru } from '@registry/shared-util';
import type { Logger } from '@registry/shared-logger';
import { mediaTypeOf, renderProjectPage, type DistributionFile, type ProjectPage, type SimpleFormat } from '@registry/pypi-protocol';
import { loadPrivateProject, type PrivateProject } from './private-projects';
import { mergeProjectPage } from './merge-project-page';
import { storageKeys } from './storage-keys';
import type { UpstreamPages } from './upstream-pages';

/** A page serialized once per format and kept as bytes: a 2,000-file page is never rebuilt per request. */
export interface RenderedPage {
  body: Buffer;
  etag: string;
  contentType: string;
  /** The same bytes gzipped, compressed once on first use; its own strong ETag (protocols §6.2). */
  gzipped(): { body: Buffer; etag: string };
}

export interface ProjectPageResult {
  rendered: RenderedPage;
  stale: boolean;
  /** 'upstream' when building it needed the upstream (a fetch or revalidation), else 'cache'. */
  source: 'cache' | 'upstream';
}

interface CachedPage {
  privateEtag: string | undefined;
  privateProject: PrivateProject | undefined;
  privateCheckedAt: number;
  upstreamGeneration: number;
  upstreamPage: ProjectPage | null;
  merged: ProjectPage;
  rendered: Partial<Record<SimpleFormat, RenderedPage>>;
  /** The revalidation in progress, so a burst of requests after `privateRecheckMs` costs one `head`. */
  recheck?: Promise<boolean> | undefined;
}

export interface ProjectPagesOptions {
  store: BlobStore;
  upstreamPages: UpstreamPages | undefined;
  isAllowedUpstreamUrl: (url: string) => boolean;
  fileUrl: (project: string, filename: string) => string;
  /** Names (normalized) whose upstream files are merged in even though they have private uploads. */
  mergeAllowlist: ReadonlySet<string>;
  /**
   * How long another instance's upload may stay unseen here. This instance's own writes show at once
   * (`invalidate`); after this delay a request revalidates the cached project document with one `head`
   * (etag compare, shared by concurrent requests) and re-reads it only when it changed.
   */
  privateRecheckMs: number;
  /** Memory budget of the cache (rendered bytes plus an estimate of the parsed pages); LRU beyond it. */
  maxCacheBytes: number;
  logger: Logger;
  now?: () => number;
}

/** Merged, rendered project pages (private + upstream), cached in memory and invalidated on change. */
export class ProjectPages {
  private readonly cache: Lru<string, CachedPage>;
  private readonly now: () => number;

  constructor(private readonly opts: ProjectPagesOptions) {
    this.now = opts.now ?? Date.now;
    this.cache = new Lru({ maxBytes: opts.maxCacheBytes });
  }

  invalidate(project: string): void {
    this.cache.delete(project);
  }

  async get(project: string, format: SimpleFormat): Promise<ProjectPageResult> {
    const { entry, stale, fetched } = await this.resolve(project);
    let rendered = entry.rendered[format];
    if (rendered === undefined) {
      rendered = entry.rendered[format] = render(entry.merged, format);
      this.cache.reweigh(project, entry, weightOf(entry));
    }
    return { rendered, stale, source: fetched ? 'upstream' : 'cache' };
  }

  /** The upstream description of a file still advertised by the current page (for a cache miss). */
  async upstreamFile(project: string, filename: string): Promise<DistributionFile | undefined> {
    const { entry } = await this.resolve(project);
    if (entry.merged.files.every((f) => f.filename !== filename)) return undefined;
    return entry.upstreamPage?.files.find((f) => f.filename === filename);
  }

  /** The private project document, at most `privateRecheckMs` old. */
  async privateProject(project: string): Promise<PrivateProject | undefined> {
    const cached = this.cache.get(project);
    if (cached !== undefined && this.now() - cached.privateCheckedAt < this.opts.privateRecheckMs) return cached.privateProject;
    if (cached !== undefined && (await this.recheck(project, cached))) return cached.privateProject;
    return (await loadPrivateProject(this.opts.store, project)).project;
  }

  private async resolve(project: string): Promise<{ entry: CachedPage; stale: boolean; fetched: boolean }> {
    let cached = this.cache.get(project);
    if (cached !== undefined && this.now() - cached.privateCheckedAt >= this.opts.privateRecheckMs && !(await this.recheck(project, cached))) {
      cached = undefined;
    }
    const privateSnapshot = cached ? { project: cached.privateProject, etag: cached.privateEtag } : await loadPrivateProject(this.opts.store, project);
    const privateProject = privateSnapshot.project;
    const upstream = await this.upstreamView(project, privateProject !== undefined);
    if (cached !== undefined && cached.upstreamGeneration === upstream.generation) {
      return { entry: cached, stale: upstream.stale, fetched: upstream.fetched };
    }
    if (privateProject === undefined && upstream.page === null) throw new AppError('not_found', `no project named ${project}`);
    const merged = mergeProjectPage({
      name: project,
      privateProject,
      upstreamPage: upstream.page,
      fileUrl: (filename) => this.opts.fileUrl(project, filename),
      isAllowedUpstreamUrl: this.opts.isAllowedUpstreamUrl,
    });
    const entry: CachedPage = {
      privateEtag: privateSnapshot.etag,
      privateProject,
      privateCheckedAt: this.now(),
      upstreamGeneration: upstream.generation,
      upstreamPage: upstream.page,
      merged,
      rendered: {},
    };
    this.cache.set(project, entry, weightOf(entry));
    return { entry, stale: upstream.stale, fetched: upstream.fetched };
  }

  /** True (and the entry marked checked) when the stored project document is still the cached one. */
  private recheck(project: string, cached: CachedPage): Promise<boolean> {
    cached.recheck ??= this.opts.store.head(storageKeys.privateProject(project)).then((meta) => {
      if (meta?.etag !== cached.privateEtag) return false;
      cached.privateCheckedAt = this.now();
      return true;
    }).finally(() => { cached.recheck = undefined; });
    return cached.recheck;
  }

  /**
   * Dependency-confusion guard (protocols §8.18): a name with private uploads never consults the
   * upstream unless it is on the merge allow-list.
   */
  private async upstreamView(project: string, hasPrivate: boolean) {
    const none = { page: null, generation: 0, stale: false, fetched: false };
    if (this.opts.upstreamPages === undefined) return none;
    if (hasPrivate && !this.opts.mergeAllowlist.has(project)) return none;
    try {
      return await this.opts.upstreamPages.get(project);
    } catch (err) {
      if (!hasPrivate) throw err;
      this.opts.logger.warn({ err, project }, 'upstream failed; serving private files only');
      return { ...none, stale: true, fetched: true };
    }
  }
}

/**
 * Rough resident size of an entry: its rendered bytes (and as much again for the gzipped copy, made on
 * demand) plus the parsed private, upstream and merged pages, estimated per file (measured ~0.6 KB each).
 */
const PARSED_BYTES_PER_FILE = 2048;
function weightOf(entry: CachedPage): number {
  const renderedBytes = Object.values(entry.rendered).reduce((sum, r) => sum + 2 * r.body.length, 0);
  const files = entry.merged.files.length + (entry.upstreamPage?.files.length ?? 0) + Object.keys(entry.privateProject?.files ?? {}).length;
  return renderedBytes + files * PARSED_BYTES_PER_FILE;
}

function render(page: ProjectPage, format: SimpleFormat): RenderedPage {
  const text = renderProjectPage(page, format);
  const body = Buffer.from(text);
  const digest = createHash('sha256').update(text).digest('base64url').slice(0, 27);
  let gzipped: { body: Buffer; etag: string } | undefined;
  return {
    body,
    etag: `"${digest}-${format}"`,
    contentType: mediaTypeOf(format),
    gzipped: () => (gzipped ??= { body: gzipSync(new Uint8Array(body)), etag: `"${digest}-${format}-gzip"` }),
  };
}

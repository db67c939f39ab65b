import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { AppError } from '@registry/shared-errors';
import type { BlobStore } from '@registry/storage-blob-store';
import type { Logger } from '@registry/shared-logger';
import { mediaTypeOf, renderProjectPage, type DistributionFile, type ProjectPage, type SimpleFormat } from '@registry/pypi-protocol';
import { loadPrivateProject, type PrivateProject } from './private-projects';
import { mergeProjectPage } from './merge-project-page';
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
}

export interface ProjectPagesOptions {
  store: BlobStore;
  upstreamPages: UpstreamPages | undefined;
  isAllowedUpstreamUrl: (url: string) => boolean;
  fileUrl: (project: string, filename: string) => string;
  /** Names (normalized) whose upstream files are merged in even though they have private uploads. */
  mergeAllowlist: ReadonlySet<string>;
  /** How long another instance's upload may stay unseen here. */
  privateRecheckMs: number;
  logger: Logger;
  now?: () => number;
}

/** Merged, rendered project pages (private + upstream), cached in memory and invalidated on change. */
export class ProjectPages {
  private readonly cache = new Map<string, CachedPage>();
  private readonly now: () => number;

  constructor(private readonly opts: ProjectPagesOptions) {
    this.now = opts.now ?? Date.now;
  }

  invalidate(project: string): void {
    this.cache.delete(project);
  }

  async get(project: string, format: SimpleFormat): Promise<ProjectPageResult> {
    const { entry, stale, fetched } = await this.resolve(project);
    const rendered = (entry.rendered[format] ??= render(entry.merged, format));
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
    return (await loadPrivateProject(this.opts.store, project)).project;
  }

  private async resolve(project: string): Promise<{ entry: CachedPage; stale: boolean; fetched: boolean }> {
    let cached = this.cache.get(project);
    let privateSnapshot = cached && { project: cached.privateProject, etag: cached.privateEtag };
    if (cached === undefined || this.now() - cached.privateCheckedAt >= this.opts.privateRecheckMs) {
      privateSnapshot = await loadPrivateProject(this.opts.store, project);
      if (cached !== undefined && cached.privateEtag === privateSnapshot.etag) cached.privateCheckedAt = this.now();
      else cached = undefined;
    }
    const privateProject = privateSnapshot?.project;
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
      privateEtag: privateSnapshot?.etag,
      privateProject,
      privateCheckedAt: this.now(),
      upstreamGeneration: upstream.generation,
      upstreamPage: upstream.page,
      merged,
      rendered: {},
    };
    this.cache.set(project, entry);
    return { entry, stale: upstream.stale, fetched: upstream.fetched };
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

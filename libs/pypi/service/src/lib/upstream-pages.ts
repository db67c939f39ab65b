import type { BlobStore } from '@registry/storage-blob-store';
import type { Logger } from '@registry/shared-logger';
import type { ProjectPage } from '@registry/pypi-protocol';
import type { PypiUpstream } from '@registry/pypi-upstream';
import { storageKeys } from './storage-keys';

/** What we know about a project upstream; persisted so a restart with the upstream down still serves it. */
interface UpstreamEntry {
  page: ProjectPage | null;
  etag: string | null;
  fetchedAt: number;
  /** Bumped on every change of `page`, so rendered pages know when to rebuild. */
  generation: number;
}

export interface UpstreamPageView {
  page: ProjectPage | null;
  generation: number;
  /** True when the upstream failed and the last good page is served (stale-if-error, RFC 5861). */
  stale: boolean;
  /** True when this call talked to the upstream. */
  fetched: boolean;
}

export interface UpstreamPagesOptions {
  store: BlobStore;
  upstream: PypiUpstream;
  logger: Logger;
  ttlMs: number;
  /** How long an upstream 404 is believed. */
  negativeTtlMs: number;
  now?: () => number;
}

/**
 * Upstream project pages with a TTL, revalidated with If-None-Match; concurrent refreshes of one project
 * share a single upstream request; on upstream failure the last good page is served and marked stale.
 */
export class UpstreamPages {
  private readonly entries = new Map<string, UpstreamEntry>();
  private readonly inFlight = new Map<string, Promise<UpstreamPageView>>();
  private readonly now: () => number;
  private generationCounter = 0;

  constructor(private readonly opts: UpstreamPagesOptions) {
    this.now = opts.now ?? Date.now;
  }

  async get(project: string): Promise<UpstreamPageView> {
    const entry = this.entries.get(project) ?? (await this.loadPersisted(project));
    if (entry !== undefined && this.isFresh(entry)) return { page: entry.page, generation: entry.generation, stale: false, fetched: false };
    const running = this.inFlight.get(project);
    if (running !== undefined) return running;
    const refresh = this.refresh(project, entry).finally(() => this.inFlight.delete(project));
    this.inFlight.set(project, refresh);
    return refresh;
  }

  private isFresh(entry: UpstreamEntry): boolean {
    const ttl = entry.page === null ? this.opts.negativeTtlMs : this.opts.ttlMs;
    return this.now() - entry.fetchedAt < ttl;
  }

  private async refresh(project: string, entry: UpstreamEntry | undefined): Promise<UpstreamPageView> {
    try {
      const result = await this.opts.upstream.fetchProjectPage(project, { etag: entry?.page ? entry.etag : null });
      if (result.kind === 'not_modified' && entry !== undefined) {
        const touched = { ...entry, fetchedAt: this.now() };
        await this.remember(project, touched);
        return { page: touched.page, generation: touched.generation, stale: false, fetched: true };
      }
      const page = result.kind === 'page' ? result.page : null;
      const etag = result.kind === 'page' ? result.etag : null;
      const next: UpstreamEntry = { page, etag, fetchedAt: this.now(), generation: ++this.generationCounter };
      await this.remember(project, next);
      return { page, generation: next.generation, stale: false, fetched: true };
    } catch (err) {
      if (entry?.page) {
        this.opts.logger.warn({ err, project }, 'upstream failed; serving the last good page (stale-if-error)');
        return { page: entry.page, generation: entry.generation, stale: true, fetched: true };
      }
      throw err;
    }
  }

  private async remember(project: string, entry: UpstreamEntry): Promise<void> {
    this.entries.set(project, entry);
    const key = storageKeys.upstreamPage(project);
    try {
      // A project the upstream no longer has stops being advertised after a restart, too.
      if (entry.page === null) await this.opts.store.delete(key);
      else await this.opts.store.putDocument(key, Buffer.from(JSON.stringify({ page: entry.page, etag: entry.etag, fetchedAt: entry.fetchedAt })));
    } catch (err) {
      this.opts.logger.warn({ err, project }, 'could not persist upstream page; keeping it in memory');
    }
  }

  private async loadPersisted(project: string): Promise<UpstreamEntry | undefined> {
    try {
      const doc = await this.opts.store.getDocument(storageKeys.upstreamPage(project));
      if (doc === undefined) return undefined;
      const saved = JSON.parse(doc.body.toString('utf8')) as { page: ProjectPage; etag: string | null; fetchedAt: number };
      const entry = { ...saved, generation: ++this.generationCounter };
      this.entries.set(project, entry);
      return entry;
    } catch (err) {
      this.opts.logger.warn({ err, project }, 'could not read persisted upstream page');
      return undefined;
    }
  }
}

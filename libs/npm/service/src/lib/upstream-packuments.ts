import { randomUUID } from 'node:crypto';
import type { BlobStore } from '@registry/storage-blob-store';
import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import type { Packument } from '@registry/npm-protocol';
import type { NpmUpstream } from './ports';
import { Lru, SingleFlight } from '@registry/shared-util';
import { storageKeys } from './storage-keys';

export interface UpstreamEntry {
  doc: Packument;
  etag: string | undefined;
  fetchedAt: number;
  /** Serialized size of the document: its weight in the byte-bounded cache. */
  bytes: number;
  /** Changes whenever `doc` changes: the rendered-bytes cache is keyed on it. */
  stamp: string;
  /** Earliest time to retry a failed refresh (stale-if-error without hammering a down upstream). */
  retryAt?: number;
}

export interface UpstreamPackumentsOptions {
  upstream: NpmUpstream;
  store: BlobStore;
  logger: Logger;
  ttlMs: number;
  notFoundTtlMs: number;
  maxEntries: number;
  /** Memory budget for the parsed documents (bytes, estimated as twice their JSON size). */
  maxBytes: number;
  now?: () => number;
}

/** `fetched`: the upstream was contacted for this answer (audit source `upstream`). */
export interface Lookup {
  entry: UpstreamEntry;
  fetched: boolean;
}

interface PersistedEntry {
  etag: string | undefined;
  fetchedAt: number;
  packument: Packument;
}

/**
 * Upstream packuments with a TTL, ETag revalidation, stale-if-error and brief 404 caching (protocols.md §6.3).
 * A refreshed document replaces the old one, so versions removed upstream disappear (§8 item 27).
 */
export class UpstreamPackuments {
  private readonly entries: Lru<string, UpstreamEntry>;
  private readonly notFoundUntil: Lru<string, number>;
  private readonly flights = new SingleFlight<Lookup | undefined>();
  private readonly now: () => number;

  constructor(private readonly opts: UpstreamPackumentsOptions) {
    this.entries = new Lru({ maxEntries: opts.maxEntries, maxBytes: opts.maxBytes });
    this.notFoundUntil = new Lru({ maxEntries: opts.maxEntries });
    this.now = opts.now ?? Date.now;
  }

  /** The upstream document, or undefined when the upstream does not have the package. */
  async get(name: string): Promise<Lookup | undefined> {
    const cached = this.entries.get(name);
    if (cached && (this.now() - cached.fetchedAt < this.opts.ttlMs || (cached.retryAt ?? 0) > this.now())) {
      return { entry: cached, fetched: false };
    }
    if ((this.notFoundUntil.get(name) ?? 0) > this.now()) return undefined;
    return this.flights.run(name, () => this.refresh(name, cached));
  }

  private async refresh(name: string, memory: UpstreamEntry | undefined): Promise<Lookup | undefined> {
    const known = memory ?? (await this.loadPersisted(name));
    if (known && this.now() - known.fetchedAt < this.opts.ttlMs) {
      this.remember(name, known);
      return { entry: known, fetched: false };
    }
    try {
      const result = await this.opts.upstream.fetchPackument(name, known?.etag ? { etag: known.etag } : {});
      if (result.kind === 'not-found') {
        this.entries.delete(name);
        this.notFoundUntil.set(name, this.now() + this.opts.notFoundTtlMs);
        if (known) await this.opts.store.delete(storageKeys.upstreamPackument(name));
        return undefined;
      }
      if (result.kind === 'not-modified' && known) {
        const fresh = { ...known, fetchedAt: this.now() };
        delete fresh.retryAt;
        this.remember(name, fresh);
        return { entry: fresh, fetched: true };
      }
      if (result.kind !== 'ok') throw new AppError('upstream_unavailable', `upstream answered 304 without a cached copy of ${name}`);
      const doc = parseUpstreamPackument(name, result.body);
      const entry: UpstreamEntry = { doc, etag: result.etag, fetchedAt: this.now(), stamp: randomUUID(), bytes: result.body.length };
      this.remember(name, entry);
      await this.persist(name, entry);
      return { entry, fetched: true };
    } catch (err) {
      if (!known) throw err;
      this.opts.logger.warn({ err, package: name }, 'upstream packument refresh failed; serving stale copy');
      const stale = { ...known, retryAt: this.now() + Math.min(this.opts.ttlMs, 10_000) };
      this.remember(name, stale);
      return { entry: stale, fetched: false };
    }
  }

  /** A parsed document takes roughly twice its JSON size in memory. */
  private remember(name: string, entry: UpstreamEntry): void {
    this.entries.set(name, entry, 2 * entry.bytes);
  }

  private async loadPersisted(name: string): Promise<UpstreamEntry | undefined> {
    try {
      const doc = await this.opts.store.getDocument(storageKeys.upstreamPackument(name));
      if (!doc) return undefined;
      const saved = JSON.parse(doc.body.toString('utf8')) as PersistedEntry;
      return { doc: saved.packument, etag: saved.etag, fetchedAt: saved.fetchedAt, stamp: doc.etag, bytes: doc.body.length };
    } catch (err) {
      this.opts.logger.warn({ err, package: name }, 'could not read the persisted upstream packument');
      return undefined;
    }
  }

  private async persist(name: string, entry: UpstreamEntry): Promise<void> {
    const saved: PersistedEntry = { etag: entry.etag, fetchedAt: entry.fetchedAt, packument: entry.doc };
    try {
      await this.opts.store.putDocument(storageKeys.upstreamPackument(name), Buffer.from(JSON.stringify(saved)), { contentType: 'application/json' });
    } catch (err) {
      this.opts.logger.warn({ err, package: name }, 'could not persist the upstream packument');
    }
  }
}

function parseUpstreamPackument(name: string, body: Buffer): Packument {
  let doc: Packument;
  try {
    doc = JSON.parse(body.toString('utf8')) as Packument;
  } catch (err) {
    throw new AppError('upstream_unavailable', `upstream sent malformed JSON for ${name}`, { cause: err });
  }
  if (typeof doc !== 'object' || doc === null || doc.name !== name || typeof doc.versions !== 'object' || doc.versions === null) {
    throw new AppError('upstream_unavailable', `upstream sent an invalid packument for ${name}`);
  }
  doc['dist-tags'] = typeof doc['dist-tags'] === 'object' && doc['dist-tags'] !== null ? doc['dist-tags'] : {};
  return doc;
}

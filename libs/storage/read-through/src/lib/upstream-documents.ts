import type { Logger } from '@registry/shared-logger';
import { AppError } from '@registry/shared-errors';
import { notCached } from './not-cached';
import { Lru, SingleFlight, SizeClassedLru } from '@registry/shared-util';
import { readJsonDocument, type BlobStore } from '@registry/storage-blob-store';

/** Time, injectable so tests (and a later health policy) control it. */
export interface Clock {
  now(): number;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/**
 * The health of one upstream as the metadata cache sees it: asked before every upstream request. The upstream
 * HTTP client's circuit breaker implements it (it sees every outcome, metadata and files alike); while it
 * refuses, the cache answers from its copy at once instead of waiting for a timeout.
 */
export interface UpstreamHealth {
  allowsRequest(): boolean;
}

export const ALWAYS_HEALTHY: UpstreamHealth = { allowsRequest: () => true };

/** An upstream's answer to a conditional GET of one metadata document (packument, project page). */
export type UpstreamFetch =
  | { kind: 'ok'; body: Buffer; etag: string | undefined; contentType?: string | undefined; url?: string }
  | { kind: 'not_modified' }
  | { kind: 'not_found' };

/** All a service supplies: how to fetch a document (conditionally) and how to parse what came back. */
export interface UpstreamDocumentSource<D> {
  fetch(name: string, etag: string | undefined): Promise<UpstreamFetch>;
  /** Throws AppError('upstream_unavailable') for a document the upstream got wrong. */
  parse(name: string, fetched: Extract<UpstreamFetch, { kind: 'ok' }>): D;
  /** Store key of the persisted copy (stale-if-error across restarts). */
  storageKey(name: string): string;
}

export interface UpstreamDocument<D> {
  doc: D;
  etag: string | undefined;
  fetchedAt: number;
  /** Changes whenever `doc` changes: caches built on the document key their entries on it. */
  stamp: string;
  /** Size of the document's JSON: its weight in memory is about twice that. */
  bytes: number;
  /** Earliest time to retry a failed revalidation, while the stale copy is served (retry back-off). */
  retryAt?: number;
}

export interface UpstreamLookup<D> {
  /** Undefined when the upstream does not have the document. */
  document: UpstreamDocument<D> | undefined;
  /** 'upstream' when answering needed a request to the upstream (the audit event's source). */
  source: 'cache' | 'upstream';
  /** True when the upstream failed and the last good copy is served (stale-if-error). */
  stale: boolean;
}

export interface UpstreamDocumentCacheOptions<D> {
  source: UpstreamDocumentSource<D>;
  store: BlobStore;
  logger: Logger;
  /** How long a document is served before it is revalidated with its ETag. */
  ttlMs: number;
  /** How long an upstream 404 is believed. */
  notFoundTtlMs: number;
  /** Memory budget of the parsed documents (bytes). */
  maxBytes: number;
  maxEntries?: number;
  /**
   * How long past `ttlMs` a copy is still served at once while it is revalidated in the background
   * (stale-while-revalidate); older copies wait for the upstream (unless it is unhealthy). Default 0.
   */
  staleWhileRevalidateMs?: number;
  /** Wait after a failed revalidation before the next try; default min(ttl, 10 s). */
  retryAfterMs?: number;
  clock?: Clock;
  health?: UpstreamHealth;
}

/** What every user of the cache passes on from its own settings (a service's document kinds share them). */
export type UpstreamDocumentSettings = Pick<UpstreamDocumentCacheOptions<unknown>, 'store' | 'logger' | 'ttlMs' | 'notFoundTtlMs' | 'maxBytes' | 'health'> & { clock: Clock };

interface PersistedDocument<D> {
  etag: string | undefined;
  fetchedAt: number;
  document: D;
}

/**
 * The one cache of upstream metadata documents for both registries (protocols §6.3): memory (LRU, byte-bounded)
 * over a persisted copy in the store; fresh for `ttlMs`, then revalidated with If-None-Match; concurrent
 * refreshes of one name share one request; a 404 is remembered for `notFoundTtlMs`; when the upstream fails,
 * the last good copy is served (stale-if-error) and the upstream is not asked again for `retryAfterMs`.
 *
 * No client waits for a revalidation: within `staleWhileRevalidateMs` past the TTL the copy is served at once and
 * revalidated in the background; while `health` (the upstream client's circuit breaker) refuses, every copy is
 * served at once, marked stale, and only requests without a copy go out (bounded by the client's short deadline).
 * `persist` and `loadPersisted` are where a large document could be kept pre-serialized.
 */
export class UpstreamDocumentCache<D> {
  private readonly entries: SizeClassedLru<string, UpstreamDocument<D>>;
  private readonly notFoundUntil: Lru<string, number>;
  private readonly flights = new SingleFlight<UpstreamLookup<D>>();
  private readonly revalidations = new Map<string, Promise<void>>();
  private readonly clock: Clock;
  private readonly health: UpstreamHealth;
  private readonly retryAfterMs: number;

  constructor(private readonly opts: UpstreamDocumentCacheOptions<D>) {
    this.entries = new SizeClassedLru({ maxBytes: opts.maxBytes, ...(opts.maxEntries ? { maxEntries: opts.maxEntries } : {}) });
    this.notFoundUntil = new Lru({ maxEntries: opts.maxEntries ?? 10_000 });
    this.clock = opts.clock ?? SYSTEM_CLOCK;
    this.health = opts.health ?? ALWAYS_HEALTHY;
    this.retryAfterMs = opts.retryAfterMs ?? Math.min(opts.ttlMs, 10_000);
  }

  async get(name: string): Promise<UpstreamLookup<D>> {
    const now = this.clock.now();
    const cached = this.entries.get(name);
    if (cached !== undefined && this.isFresh(cached, now)) return { document: cached, source: 'cache', stale: false };
    if (cached?.retryAt !== undefined && cached.retryAt > now) return { document: cached, source: 'cache', stale: true };
    if ((this.notFoundUntil.get(name) ?? 0) > now) return { document: undefined, source: 'cache', stale: false };
    if (cached !== undefined && this.mayServeWhileRevalidating(cached, now)) return this.serveWhileRevalidating(name, cached);
    return this.flights.run(name, () => this.refresh(name, cached));
  }

  /** Settles when the background revalidations started so far have (tests, and a graceful close). */
  async idle(): Promise<void> {
    while (this.revalidations.size > 0) await Promise.all(this.revalidations.values());
  }

  /**
   * True when the upstream is known to serve `name`, asking nothing of it: a copy is in memory or in the store
   * (fetched before) and no 404 since. Callers that must not reveal a name to the upstream ask this first.
   */
  async isKnown(name: string): Promise<boolean> {
    if (this.entries.get(name) !== undefined) return true;
    if ((this.notFoundUntil.get(name) ?? 0) > this.clock.now()) return false;
    return (await this.opts.store.head(this.opts.source.storageKey(name))) !== undefined;
  }

  private isFresh(entry: UpstreamDocument<D>, now: number): boolean {
    return now - entry.fetchedAt < this.opts.ttlMs;
  }

  private mayServeWhileRevalidating(entry: UpstreamDocument<D>, now: number): boolean {
    return now - entry.fetchedAt < this.opts.ttlMs + (this.opts.staleWhileRevalidateMs ?? 0);
  }

  /**
   * Stale-while-revalidate: the copy now, the upstream asked in the background (once per name). While the
   * upstream is unhealthy it is not asked at all (its breaker probes it) and the copy is marked stale.
   */
  private serveWhileRevalidating(name: string, known: UpstreamDocument<D>): UpstreamLookup<D> {
    if (!this.health.allowsRequest()) return { document: known, source: 'cache', stale: true };
    this.revalidateInBackground(name, known, Promise.resolve());
    return { document: known, source: 'cache', stale: false };
  }

  /** Starts after `after` (outside the caller's flight), once per name at a time; failures only logged. */
  private revalidateInBackground(name: string, known: UpstreamDocument<D>, after: Promise<void>): void {
    if (this.revalidations.has(name)) return;
    const work = after
      .then(() => this.flights.run(name, () => this.revalidate(name, known)))
      .then(() => undefined, (err: unknown) => this.opts.logger.warn({ err, name }, 'background revalidation failed'))
      .finally(() => this.revalidations.delete(name));
    this.revalidations.set(name, work);
  }

  private async refresh(name: string, memory: UpstreamDocument<D> | undefined): Promise<UpstreamLookup<D>> {
    const known = memory ?? (await this.loadPersisted(name));
    const now = this.clock.now();
    if (known !== undefined && this.isFresh(known, now)) {
      this.remember(name, known);
      return { document: known, source: 'cache', stale: false };
    }
    if (known !== undefined && memory === undefined && this.mayServeWhileRevalidating(known, now)) {
      // Loaded from the store: keep it in memory; the next request finds it there and revalidates in the background.
      this.remember(name, known);
      if (!this.health.allowsRequest()) return { document: known, source: 'cache', stale: true };
      this.revalidateInBackground(name, known, new Promise((resolve) => setImmediate(resolve)));
      return { document: known, source: 'cache', stale: false };
    }
    return this.revalidate(name, known);
  }

  private async revalidate(name: string, known: UpstreamDocument<D> | undefined): Promise<UpstreamLookup<D>> {
    // Without a copy the request goes out anyway: the client bounds it by its short deadline while unhealthy.
    if (known !== undefined && !this.health.allowsRequest()) {
      return this.fallBack(name, known, new AppError('upstream_unavailable', `the upstream is marked unhealthy; not asking it for ${name}`), 'debug');
    }
    let fetched: UpstreamFetch;
    try {
      fetched = await this.opts.source.fetch(name, known?.etag);
    } catch (err) {
      // An unreachable upstream is logged once, by its health state's transition; not once per document.
      return this.fallBack(name, known, err, 'debug');
    }
    try {
      return await this.apply(name, known, fetched);
    } catch (err) {
      // The upstream answered something we cannot use: worth a line each time.
      return this.fallBack(name, known, err, 'warn');
    }
  }

  /** Stale-if-error: the last good copy, not asked for again until `retryAfterMs` passed; without one, the error. */
  private fallBack(name: string, known: UpstreamDocument<D> | undefined, err: unknown, level: 'debug' | 'warn'): UpstreamLookup<D> {
    if (known === undefined) throw notCached(name, err);
    this.opts.logger[level]({ err, name }, 'upstream revalidation failed; serving the last good copy (stale-if-error)');
    const stale = { ...known, retryAt: this.clock.now() + this.retryAfterMs };
    this.remember(name, stale);
    return { document: stale, source: 'cache', stale: true };
  }

  private async apply(name: string, known: UpstreamDocument<D> | undefined, fetched: UpstreamFetch): Promise<UpstreamLookup<D>> {
    const now = this.clock.now();
    if (fetched.kind === 'not_found') {
      this.entries.delete(name);
      this.notFoundUntil.set(name, now + this.opts.notFoundTtlMs);
      // A document the upstream no longer has stops being served after a restart, too.
      if (known !== undefined) await this.opts.store.delete(this.opts.source.storageKey(name)).catch((err: unknown) => this.opts.logger.warn({ err, name }, 'could not delete the persisted upstream document'));
      return { document: undefined, source: 'upstream', stale: false };
    }
    if (fetched.kind === 'not_modified') {
      if (known === undefined) throw new AppError('upstream_unavailable', `upstream answered 304 for ${name} without a cached copy`);
      const touched: UpstreamDocument<D> = { doc: known.doc, etag: known.etag, fetchedAt: now, stamp: known.stamp, bytes: known.bytes };
      this.remember(name, touched);
      return { document: touched, source: 'upstream', stale: false };
    }
    const document: UpstreamDocument<D> = {
      doc: this.opts.source.parse(name, fetched), etag: fetched.etag, fetchedAt: now, stamp: `${now}-${Math.random().toString(36).slice(2)}`, bytes: fetched.body.length,
    };
    this.notFoundUntil.delete(name);
    this.remember(name, document);
    await this.persist(name, document);
    return { document, source: 'upstream', stale: false };
  }

  /** A parsed document takes roughly twice its JSON size in memory. */
  private remember(name: string, entry: UpstreamDocument<D>): void {
    this.entries.set(name, entry, 2 * entry.bytes);
  }

  private async loadPersisted(name: string): Promise<UpstreamDocument<D> | undefined> {
    try {
      const stored = await readJsonDocument<PersistedDocument<D> & Record<string, unknown>>(this.opts.store, this.opts.source.storageKey(name));
      if (stored === undefined) return undefined;
      const { etag, fetchedAt, document, ...legacy } = stored.value;
      // Copies written before the one cache existed named the document after its kind (`packument`, `page`).
      const doc = document ?? (Object.values(legacy)[0] as D | undefined);
      if (doc === undefined) return undefined;
      return { doc, etag, fetchedAt, stamp: stored.etag, bytes: stored.bytes };
    } catch (err) {
      this.opts.logger.warn({ err, name }, 'could not read the persisted upstream document');
      return undefined;
    }
  }

  private async persist(name: string, entry: UpstreamDocument<D>): Promise<void> {
    const saved: PersistedDocument<D> = { etag: entry.etag, fetchedAt: entry.fetchedAt, document: entry.doc };
    try {
      await this.opts.store.putDocument(this.opts.source.storageKey(name), Buffer.from(JSON.stringify(saved)), { contentType: 'application/json' });
    } catch (err) {
      this.opts.logger.warn({ err, name }, 'could not persist the upstream document; keeping it in memory');
    }
  }
}

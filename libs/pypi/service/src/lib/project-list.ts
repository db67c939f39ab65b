import type { Logger } from '@registry/shared-logger';
import { AppError } from '@registry/shared-errors';
import { parseUpstreamProjectList, renderProjectList, type SimpleFormat } from '@registry/pypi-protocol';
import type { BlobStore } from '@registry/storage-blob-store';
import { ListedKeys } from '@registry/shared-util';
import { UpstreamDocumentCache, type Clock, type UpstreamHealth } from '@registry/storage-read-through';
import type { PypiUpstream } from './ports';
import { storageKeys } from './storage-keys';

export interface ProjectListOptions {
  store: BlobStore;
  upstream: PypiUpstream | undefined;
  logger: Logger;
  /** How long the upstream root index is believed (it is large and changes slowly). */
  ttlMs: number;
  maxBytes: number;
  clock: Clock;
  simpleBase: string;
  health?: UpstreamHealth;
  /** Bound on how late a project another instance added (or an operator removed) shows on this root page. */
  recheckMs: number;
}

const ROOT = 'root';
/** Where the projects this page lists are: private project documents and cached upstream pages. */
const LISTED_PREFIXES = [storageKeys.privateProjectsPrefix, storageKeys.upstreamPagesPrefix];
const isListed = (key: string): boolean => LISTED_PREFIXES.some((prefix) => key.startsWith(prefix));

/**
 * The root page `/simple/` (protocols §1.12): the upstream's root index (through the one upstream-document cache,
 * long TTL, served stale when the upstream fails) merged with the private projects and the cached upstream pages.
 * The local names are held in memory (ListedKeys: one store listing, then this process's own writes through
 * `watching(store)` at once and other instances' within `recheckMs`), so a request costs the same with ten
 * projects or ten thousand; the rendered bytes are kept per format until the merged names change.
 */
export class ProjectList {
  private readonly upstreamRoot: UpstreamDocumentCache<string[]> | undefined;
  private readonly local: ListedKeys;
  private readonly rendered = new Map<SimpleFormat, { key: string; body: Buffer }>();

  constructor(private readonly opts: ProjectListOptions) {
    const upstream = opts.upstream;
    this.upstreamRoot = upstream && new UpstreamDocumentCache<string[]>({
      source: {
        storageKey: () => storageKeys.upstreamRootIndex,
        fetch: (_name, etag) => upstream.fetchProjectList(etag),
        parse: (_name, fetched) => {
          try {
            return parseUpstreamProjectList(fetched.body.toString('utf8'), fetched.contentType ?? 'text/html');
          } catch (err) {
            throw new AppError('upstream_unavailable', `the upstream root index is malformed: ${(err as Error).message}`, { cause: err });
          }
        },
      },
      store: opts.store, logger: opts.logger, ttlMs: opts.ttlMs, notFoundTtlMs: opts.ttlMs, maxBytes: opts.maxBytes, maxEntries: 1,
      staleWhileRevalidateMs: opts.ttlMs, clock: opts.clock, ...(opts.health ? { health: opts.health } : {}),
    });
    this.local = new ListedKeys({
      list: () => listAll(opts.store, LISTED_PREFIXES), recheckMs: opts.recheckMs, now: () => opts.clock.now(),
      onRefreshError: (err) => opts.logger.warn({ err }, 'could not relist the projects for the root index; keeping the last list'),
    });
  }

  /**
   * `store` as the rest of the service writes through it: a project document or cached upstream page written or
   * deleted there is (un)listed here at once, whichever use-case wrote it. Everything else passes straight on.
   */
  watching(store: BlobStore): BlobStore {
    const local = this.local;
    const putDocument: BlobStore['putDocument'] = async (key, body, putOpts) => {
      const written = await store.putDocument(key, body, putOpts);
      if (isListed(key)) local.added(key);
      return written;
    };
    const remove: BlobStore['delete'] = async (key) => {
      await store.delete(key);
      if (isListed(key)) local.removed(key);
    };
    // A Proxy rather than a copy of each method: whatever the port gains later passes through unchanged.
    // Methods are bound once per method (reads of files go through here on every request).
    const bound = new Map<PropertyKey, { of: unknown; method: unknown }>();
    return new Proxy(store, {
      get(target, prop) {
        if (prop === 'putDocument') return putDocument;
        if (prop === 'delete') return remove;
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const known = bound.get(prop);
        if (known?.of === value) return known.method;
        const method: unknown = value.bind(target);
        bound.set(prop, { of: value, method });
        return method;
      },
    });
  }

  async render(format: SimpleFormat): Promise<Buffer> {
    const local = await this.local.current();
    const upstream = await this.upstreamNames();
    const key = `${upstream.stamp}|${local.version}`;
    const cached = this.rendered.get(format);
    if (cached?.key === key) return cached.body;
    const names = new Set(upstream.names);
    for (const listed of local.keys) names.add(baseName(listed));
    const body = Buffer.from(renderProjectList([...names].sort(), format, this.opts.simpleBase));
    this.rendered.set(format, { key, body });
    return body;
  }

  /** Stops the background relist (the app's close). */
  stop(): void {
    this.local.stop();
  }

  /** Without an answer from the upstream (and no copy) the root lists what is here: the page stays usable. */
  private async upstreamNames(): Promise<{ names: string[]; stamp: string }> {
    if (this.upstreamRoot === undefined) return { names: [], stamp: '' };
    try {
      const lookup = await this.upstreamRoot.get(ROOT);
      return lookup.document ? { names: lookup.document.doc, stamp: lookup.document.stamp } : { names: [], stamp: 'none' };
    } catch (err) {
      this.opts.logger.warn({ err }, 'upstream root index unavailable; listing the local projects only');
      return { names: [], stamp: 'failed' };
    }
  }
}

async function* listAll(store: BlobStore, prefixes: readonly string[]): AsyncIterable<string> {
  for (const prefix of prefixes) yield* store.list(prefix);
}

const baseName = (key: string): string => key.slice(key.lastIndexOf('/') + 1).replace(/\.json$/, '');

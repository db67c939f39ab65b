import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import type { BlobStore } from '@registry/storage-blob-store';
import { isValidPackageName, type Packument } from '@registry/npm-protocol';
import { LocalPackages } from './local-packages';
import { Lru } from './lru';
import { buildPackageState, mayAskUpstream, type PackageState, type UpstreamPolicy } from './package-state';
import { renderPackument, type RenderedPackument } from './rendered-packument';
import { UpstreamPackuments } from './upstream-packuments';
import type { NpmUpstream } from './ports';

export interface PackageReaderOptions {
  store: BlobStore;
  upstream: NpmUpstream | undefined;
  policy: UpstreamPolicy;
  logger: Logger;
  metadataTtlMs: number;
  notFoundTtlMs: number;
  /** Packages whose state (and rendered bytes) stay in memory. */
  maxCachedPackages: number;
}

export interface ResolvedState {
  state: PackageState;
  /** True when the upstream was contacted to answer (audit `source: upstream`). */
  fetchedUpstream: boolean;
}

interface CachedState {
  state: PackageState;
  /** Rendered bytes per public base URL (usually one). */
  rendered: Map<string, RenderedPackument>;
}

/**
 * The read model: one merged state per package, rebuilt only when its local record (etag) or its upstream
 * document (stamp) changes, and serialized bytes cached per base URL. A 3,000-version packument is parsed
 * once per change, never per request (issue 5, "Serve cached packuments from memory").
 */
export class PackageReader {
  readonly local: LocalPackages;
  private readonly upstreamDocs: UpstreamPackuments | undefined;
  private readonly states: Lru<string, CachedState>;

  constructor(private readonly opts: PackageReaderOptions) {
    this.local = new LocalPackages(opts.store);
    this.states = new Lru(opts.maxCachedPackages);
    this.upstreamDocs = opts.upstream
      ? new UpstreamPackuments({
          upstream: opts.upstream, store: opts.store, logger: opts.logger, ttlMs: opts.metadataTtlMs,
          notFoundTtlMs: opts.notFoundTtlMs, maxEntries: opts.maxCachedPackages,
        })
      : undefined;
  }

  /** The package as served; AppError('not_found') when neither this registry nor the upstream has it. */
  async resolve(name: string): Promise<ResolvedState> {
    if (!isValidPackageName(name)) throw new AppError('invalid_request', `invalid package name: ${name}`);
    const localEtag = await this.local.etagOf(name);
    const askUpstream = this.upstreamDocs !== undefined && mayAskUpstream(name, localEtag !== undefined, this.opts.policy);
    const upstream = askUpstream ? await this.upstreamDocs?.get(name) : undefined;
    const stamp = `${localEtag ?? '-'}|${upstream?.entry.stamp ?? '-'}`;
    const cached = this.states.get(name);
    if (cached && cached.state.stamp === stamp) return { state: cached.state, fetchedUpstream: upstream?.fetched ?? false };
    const record = localEtag ? (await this.local.get(name))?.record : undefined;
    const hasLocalVersions = record !== undefined && Object.keys(record.packument.versions).length > 0;
    if (!hasLocalVersions && !upstream) throw new AppError('not_found', `package ${name} not found`);
    const state = buildPackageState(name, hasLocalVersions ? record : undefined, upstream?.entry, stamp);
    state.isLocal = record !== undefined;
    this.states.set(name, { state, rendered: new Map() });
    return { state, fetchedUpstream: upstream?.fetched ?? false };
  }

  /** Serialized full and abbreviated documents for this base URL (cached with the state). */
  rendered(state: PackageState, baseUrl: string): RenderedPackument {
    const cached = this.states.get(state.name);
    const holder = cached && cached.state === state ? cached.rendered : new Map<string, RenderedPackument>();
    let rendered = holder.get(baseUrl);
    if (!rendered) {
      rendered = renderPackument(state.doc, baseUrl);
      if (holder.size >= 4) holder.clear();
      holder.set(baseUrl, rendered);
    }
    return rendered;
  }

  /** The current local document with `_rev`, bypassing every cache (`?write=true`, §3.8). */
  async forWrite(name: string): Promise<Packument> {
    const snapshot = await this.local.get(name);
    if (!snapshot || Object.keys(snapshot.record.packument.versions).length === 0) {
      throw new AppError('not_found', `package ${name} is not published on this registry`);
    }
    return snapshot.record.packument;
  }

  /** Forget a package after a local write so the next read rebuilds at once on this instance. */
  invalidate(name: string): void {
    this.states.delete(name);
  }
}

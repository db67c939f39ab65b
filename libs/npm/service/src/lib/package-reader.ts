import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import type { BlobStore } from '@registry/storage-blob-store';
import { isValidPackageName, type Packument } from '@registry/npm-protocol';
import { LocalPackages } from './local-packages';
import { Lru, SingleFlight } from '@registry/shared-util';
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
  /** Memory budget of the packument caches (bytes): half for served states, half for upstream documents. */
  maxCachedBytes: number;
  /**
   * How long a local record's etag is trusted without asking the store again. Writes through this instance
   * invalidate at once; another instance's publish shows up here within this bound (0 = ask every request).
   */
  localRevalidateMs: number;
  now?: () => number;
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
  /** Local record etag the state was built from, and when the store last confirmed it. */
  localEtag: string | undefined;
  localCheckedAt: number;
  /** Estimated memory of the state (parsed record) without the rendered bytes. */
  baseWeight: number;
}

/**
 * The read model: one merged state per package, rebuilt only when its local record (etag) or its upstream
 * document (stamp) changes, and serialized bytes cached per base URL. A 3,000-version packument is parsed
 * once per change, never per request (issue 5, "Serve cached packuments from memory"). The local etag is
 * itself cached for `localRevalidateMs`, so a hot package costs no store round trip per request (issue 8).
 */
export class PackageReader {
  readonly local: LocalPackages;
  private readonly upstreamDocs: UpstreamPackuments | undefined;
  private readonly states: Lru<string, CachedState>;
  private readonly etagChecks = new SingleFlight<string | undefined>();
  private readonly now: () => number;
  /** Bumped by every local write: a check that raced with one is not trusted as fresh. */
  private writeEpoch = 0;

  constructor(private readonly opts: PackageReaderOptions) {
    this.local = new LocalPackages(opts.store);
    this.now = opts.now ?? Date.now;
    this.states = new Lru({ maxEntries: opts.maxCachedPackages, maxBytes: opts.maxCachedBytes / 2 });
    this.upstreamDocs = opts.upstream
      ? new UpstreamPackuments({
          upstream: opts.upstream, store: opts.store, logger: opts.logger, ttlMs: opts.metadataTtlMs,
          notFoundTtlMs: opts.notFoundTtlMs, maxEntries: opts.maxCachedPackages, maxBytes: opts.maxCachedBytes / 2, now: this.now,
        })
      : undefined;
  }

  /** The package as served; AppError('not_found') when neither this registry nor the upstream has it. */
  async resolve(name: string): Promise<ResolvedState> {
    if (!isValidPackageName(name)) throw new AppError('invalid_request', `invalid package name: ${name}`);
    const cached = this.states.get(name);
    const trusted = cached !== undefined && this.now() - cached.localCheckedAt < this.opts.localRevalidateMs;
    const epoch = this.writeEpoch;
    const checkedAt = this.now();
    const localEtag = trusted ? cached.localEtag : await this.etagChecks.run(`${epoch}:${name}`, () => this.local.etagOf(name));
    const askUpstream = this.upstreamDocs !== undefined && mayAskUpstream(name, localEtag !== undefined, this.opts.policy);
    const upstream = askUpstream ? await this.upstreamDocs?.get(name) : undefined;
    const stamp = `${localEtag ?? '-'}|${upstream?.entry.stamp ?? '-'}`;
    const fresh = epoch === this.writeEpoch;
    if (cached && cached.state.stamp === stamp) {
      if (!trusted && fresh) cached.localCheckedAt = checkedAt;
      return { state: cached.state, fetchedUpstream: upstream?.fetched ?? false };
    }
    const snapshot = localEtag ? await this.local.get(name) : undefined;
    const record = snapshot?.record;
    const hasLocalVersions = record !== undefined && Object.keys(record.packument.versions).length > 0;
    if (!hasLocalVersions && !upstream) throw new AppError('not_found', `package ${name} not found`);
    // Built from the record as read (its own etag), so the stamp always names the bytes behind the state.
    const state = buildPackageState(name, hasLocalVersions ? record : undefined, upstream?.entry, `${snapshot?.etag ?? '-'}|${upstream?.entry.stamp ?? '-'}`);
    state.isLocal = record !== undefined;
    const baseWeight = 2 * (snapshot?.bytes ?? 0);
    this.states.set(name, { state, rendered: new Map(), localEtag: snapshot?.etag, localCheckedAt: fresh ? checkedAt : 0, baseWeight }, baseWeight);
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
      if (cached && cached.state === state) this.states.set(state.name, cached, cached.baseWeight + renderedWeight(holder));
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
    this.writeEpoch++;
    this.states.delete(name);
  }
}

/** Bytes held by the rendered documents; a gzipped copy is at most about as large as its body. */
function renderedWeight(holder: Map<string, RenderedPackument>): number {
  let bytes = 0;
  for (const r of holder.values()) bytes += 2 * (r.full.body.length + r.abbreviated.body.length);
  return bytes;
}

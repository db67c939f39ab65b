import { AppError } from '@registry/shared-errors';
import { SingleFlight, SizeClassedLru } from '@registry/shared-util';
import type { UpstreamDocumentCache } from '@registry/storage-read-through';
import { PrivatePackages, type PrivatePackageRecord } from './private-packages';
import { renderPackument, type RenderedPackument } from './rendered-packument';
import type { BlobStore } from '@registry/storage-blob-store';
import { expectedDigestOf, isValidPackageName, scopeOf, tarballFilename, withSafeMaps, type ExpectedDigest, type Packument } from '@registry/npm-protocol';

/** Where the bytes of one tarball come from. */
export type TarballOrigin =
  | { kind: 'private'; version: string; key: string }
  | { kind: 'upstream'; version: string; url: string; digest: ExpectedDigest | undefined };

/** One package as served: the merged document and the tarball map, built once per change (not per request). */
export interface PackageState {
  name: string;
  doc: Packument;
  /** conventional filename → origin (protocols §3.6: keep a map from filename to the upstream URL). */
  tarballs: Map<string, TarballOrigin>;
  /** Identity of the sources this state was built from. */
  stamp: string;
  /** True when the name has a private record (published here), even with every version unpublished. */
  isPrivate: boolean;
}

/** Dependency-confusion policy (protocols §8.18): which names may see upstream versions. */
export interface UpstreamPolicy {
  /** Scopes (`@acme`) that are private: never looked up upstream. */
  privateScopes: ReadonlySet<string>;
  /** Names published here that may still merge upstream versions (default: none). */
  mergeAllowlist: ReadonlySet<string>;
}

export const mayAskUpstream = (name: string, isPrivate: boolean, policy: UpstreamPolicy): boolean => {
  const scope = scopeOf(name);
  if (scope && policy.privateScopes.has(scope)) return false;
  return !isPrivate || policy.mergeAllowlist.has(name);
};

export function buildPackageState(name: string, record: PrivatePackageRecord | undefined, upstream: Packument | undefined, stamp: string): PackageState {
  const tarballs = new Map<string, TarballOrigin>();
  for (const [version, manifest] of Object.entries(upstream?.versions ?? {})) {
    const url = typeof manifest?.dist?.tarball === 'string' ? manifest.dist.tarball : undefined;
    if (url) tarballs.set(tarballFilename(name, version), { kind: 'upstream', version, url, digest: expectedDigestOf(manifest.dist) });
  }
  for (const [version, key] of Object.entries(record?.tarballKeys ?? {})) {
    if (record?.packument.versions[version]) tarballs.set(tarballFilename(name, version), { kind: 'private', version, key });
  }
  return { name, doc: mergeDocuments(record?.packument, upstream), tarballs, stamp, isPrivate: record !== undefined };
}

/** Private versions, tags and times win; upstream fills in only for allow-listed names. */
function mergeDocuments(own: Packument | undefined, upstream: Packument | undefined): Packument {
  if (!upstream) return own as Packument;
  if (!own) return upstream;
  return withSafeMaps({
    ...upstream,
    ...own,
    'dist-tags': { ...upstream['dist-tags'], ...own['dist-tags'] },
    versions: { ...upstream.versions, ...own.versions },
    time: { ...(upstream.time ?? {}), ...(own.time ?? {}) },
  });
}

export interface PackageReaderOptions {
  store: BlobStore;
  /** The upstream packuments (the shared upstream-document cache); undefined: private-only. */
  upstreamDocs: UpstreamDocumentCache<Packument> | undefined;
  policy: UpstreamPolicy;
  /** Packages whose state (and rendered bytes) stay in memory. */
  cacheEntries: number;
  /** Memory budget of the served states (bytes). */
  cacheBytes: number;
  /**
   * How long a private record's etag is trusted without asking the store again. Writes through this instance
   * invalidate at once; another instance's publish shows up here within this bound (0 = ask every request).
   */
  privateRecheckMs: number;
  now?: () => number;
}

export interface ResolvedPackage {
  state: PackageState;
  /** 'upstream' when the upstream was contacted to answer (the audit event's source). */
  source: 'cache' | 'upstream';
  /** True when the upstream failed and its last good document is in this one (stale-if-error). */
  stale: boolean;
  /** 'private' when the name is published here (its event says so: not the pull-through cache's doing). */
  origin: 'private' | 'upstream';
}

interface CachedState {
  state: PackageState;
  /** Rendered bytes per public base URL (usually one). */
  rendered: Map<string, RenderedPackument>;
  /** Private record etag the state was built from, and when the store last confirmed it. */
  privateEtag: string | undefined;
  privateCheckedAt: number;
  /** Estimated memory of the state (parsed record) without the rendered bytes. */
  baseWeight: number;
}

/**
 * The read model: one merged state per package, rebuilt only when its private record (etag) or its upstream
 * document (stamp) changes, and serialized bytes cached per base URL. A 3,000-version packument is parsed and
 * serialized once per change, never per request. The private etag is itself trusted for `privateRecheckMs`, so
 * a hot package costs no store round trip per request.
 */
export class PackageReader {
  readonly packages: PrivatePackages;
  private readonly states: SizeClassedLru<string, CachedState>;
  private readonly etagChecks = new SingleFlight<string | undefined>();
  private readonly now: () => number;
  /** Bumped by every private write: a check that raced with one is not trusted as fresh. */
  private writeEpoch = 0;

  constructor(private readonly opts: PackageReaderOptions) {
    this.now = opts.now ?? Date.now;
    this.packages = new PrivatePackages(opts.store, { recheckMs: opts.privateRecheckMs, now: this.now });
    this.states = new SizeClassedLru({ maxEntries: opts.cacheEntries, maxBytes: opts.cacheBytes });
  }

  /** The package as served; AppError('not_found') when neither this registry nor the upstream has it. */
  async resolve(name: string): Promise<ResolvedPackage> {
    if (!isValidPackageName(name)) throw new AppError('invalid_request', `invalid package name: ${name}`);
    const cached = this.states.get(name);
    const trusted = cached !== undefined && this.now() - cached.privateCheckedAt < this.opts.privateRecheckMs;
    const epoch = this.writeEpoch;
    const checkedAt = this.now();
    const privateEtag = trusted ? cached.privateEtag : await this.etagChecks.run(`${epoch}:${name}`, () => this.packages.etagOf(name));
    const askUpstream = this.opts.upstreamDocs !== undefined && mayAskUpstream(name, privateEtag !== undefined, this.opts.policy);
    const upstream = askUpstream ? await this.opts.upstreamDocs?.get(name) : undefined;
    const source = upstream?.source ?? 'cache';
    const stale = upstream?.stale ?? false;
    const stamp = `${privateEtag ?? '-'}|${upstream?.document?.stamp ?? '-'}`;
    const fresh = epoch === this.writeEpoch;
    if (cached && cached.state.stamp === stamp) {
      if (!trusted && fresh) cached.privateCheckedAt = checkedAt;
      return { state: cached.state, source, stale, origin: originOf(cached.state) };
    }
    const snapshot = privateEtag ? await this.packages.get(name) : undefined;
    const record = snapshot?.record;
    const hasPrivateVersions = record !== undefined && Object.keys(record.packument.versions).length > 0;
    if (!hasPrivateVersions && upstream?.document === undefined) throw new AppError('not_found', `package ${name} not found`);
    // Built from the record as read (its own etag), so the stamp always names the bytes behind the state.
    const state = buildPackageState(name, hasPrivateVersions ? record : undefined, upstream?.document?.doc, `${snapshot?.etag ?? '-'}|${upstream?.document?.stamp ?? '-'}`);
    state.isPrivate = record !== undefined;
    const baseWeight = 2 * (snapshot?.bytes ?? 0);
    this.states.set(name, { state, rendered: new Map(), privateEtag: snapshot?.etag, privateCheckedAt: fresh ? checkedAt : 0, baseWeight }, baseWeight);
    return { state, source, stale, origin: originOf(state) };
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
      if (cached && cached.state === state) this.states.reweigh(state.name, cached, cached.baseWeight + renderedWeight(holder));
    }
    return rendered;
  }

  /** The current private document with `_rev`, bypassing every cache (`?write=true`, protocols §3.8). */
  async forWrite(name: string): Promise<Packument> {
    const snapshot = await this.packages.get(name);
    if (!snapshot || Object.keys(snapshot.record.packument.versions).length === 0) {
      throw new AppError('not_found', `package ${name} is not published on this registry`);
    }
    return snapshot.record.packument;
  }

  /** Forget a package after a private write so the next read rebuilds at once on this instance. */
  invalidate(name: string): void {
    this.writeEpoch++;
    this.states.delete(name);
  }
}

const originOf = (state: PackageState): ResolvedPackage['origin'] => (state.isPrivate ? 'private' : 'upstream');

/** Bytes held by the rendered documents, and as much again for their gzip copies (made on demand). */
function renderedWeight(holder: Map<string, RenderedPackument>): number {
  let bytes = 0;
  for (const r of holder.values()) bytes += 2 * (r.full.length + r.abbreviated.length);
  return bytes;
}

import type { Logger } from '@registry/shared-logger';
import { AppError } from '@registry/shared-errors';
import { withSafeMaps, type KeysDocument, type Packument, type PublishRequest } from '@registry/npm-protocol';
import type { BlobStore } from '@registry/storage-blob-store';
import {
  claimableNames, createReadThrough, memoryTierOf, UpstreamDocumentCache, type ClaimCheck, type DownloadRedirect, type UpstreamDocumentSource, type UpstreamHealth,
} from '@registry/storage-read-through';
import { PackageChanges, type ChangeResult } from './package-changes';
import { mayAskUpstream, PackageReader, type PackageState, type ResolvedPackage, type UpstreamPolicy } from './package-reader';
import type { NpmUpstream, PrivateAdvisories } from './ports';
import { AuditRequests, type AuditAnswer } from './audit-requests';
import { RegistryAssertions, type AttestationsAnswer, type RegistrySigning } from './registry-assertions';
import { Publisher } from './publisher';
import type { Actor, PublishRule } from './publish-rules';
import { SearchService, type SearchAnswer, type SearchQuery } from './search-service';
import { storageKeys } from './storage-keys';
import { Tarballs, type Tarball, type TarballRequest } from './tarballs';
import { ServedPackuments, type ServedPackument } from './served-packument';
import { Firewall } from '@registry/policy-firewall';

export interface NpmServiceDeps {
  store: BlobStore;
  /** Undefined: private-only registry. */
  upstream: NpmUpstream | undefined;
  logger: Logger;
  policy: UpstreamPolicy;
  publishRules: readonly PublishRule[];
  /** Names the upstream serves that may still be claimed by a first publish here (NPM_CLAIMABLE_NAMES, `*` wildcards). */
  claimableNames?: readonly string[];
  metadataTtlMs: number;
  notFoundTtlMs: number;
  /** Past the TTL, how long a copy is served at once while it is revalidated in the background. */
  staleWhileRevalidateMs?: number;
  /** The upstream client's circuit breaker: while it refuses, copies are served at once (stale). */
  upstreamHealth?: UpstreamHealth;
  /** Packages whose served document stays in memory. */
  metadataCacheEntries: number;
  /** Memory budget of the metadata caches (bytes): half for served documents, half for upstream copies. */
  metadataCacheBytes: number;
  /** Bound on how late another instance's publish shows up here (own writes show at once). */
  privateRecheckMs: number;
  /** Memory budget for hot tarballs (bytes); 0 turns it off. */
  tarballCacheBytes: number;
  /** This registry's signing keys (protocols §14); none: private versions are published unsigned. */
  signing: RegistrySigning;
  /** Advisories for packages an audit must not name upstream (the firewall's feed); none: they get none. */
  privateAdvisories?: PrivateAdvisories;
  /** Where upstream downloads in progress are spooled; default the OS temp dir. */
  spoolDir?: string;
  /** STORAGE_DOWNLOAD_REDIRECT=presigned: cached tarballs are answered with a URL of their object (`Tarball.location`). */
  downloadRedirect?: DownloadRedirect;
  /** The supply-chain firewall (README "Firewall"); none: every upstream version is served. */
  firewall?: Firewall;
  now?: () => number;
}

/** The npm registry's use-cases, transport-free: every route calls one of these. */
export interface NpmService {
  packument(name: string): Promise<ResolvedPackage>;
  /** The package as served now: the firewall's holds applied (filtered copies only when a rule applies). */
  served(state: PackageState): ServedPackument;
  /** The current private document with `_rev`, uncached (`?write=true`). */
  packumentForWrite(name: string): Promise<Packument>;
  tarball(name: string, filename: string, req?: TarballRequest): Promise<Tarball>;
  publish(req: PublishRequest, actor: Actor & { email?: string | null }): Promise<void>;
  /** A PUT without attachments: deprecate, or (with `withRev`) unpublish the versions missing from `body`. */
  applyDocument(name: string, body: unknown, withRev: boolean, actor: Actor): Promise<ChangeResult>;
  unpublishAll(name: string, actor: Actor): Promise<ChangeResult>;
  deleteTarball(name: string, version: string | undefined, actor: Actor): Promise<void>;
  setDistTag(name: string, tag: string, version: unknown, actor: Actor): Promise<void>;
  removeDistTag(name: string, tag: string, actor: Actor): Promise<void>;
  search(query: SearchQuery): Promise<SearchAnswer>;
  /**
   * An audit POST answered without revealing private names: the upstream hears only packages it is known to
   * serve, the rest goes to the local advisory source; undefined when there is neither.
   */
  forwardAudit(path: string, body: unknown): Promise<AuditAnswer | undefined>;
  /** The keys document `/-/npm/v1/keys` (upstream keys, then ours); undefined when there are none. */
  keys(): Promise<{ document: KeysDocument; source: 'cache' | 'upstream' } | undefined>;
  /** An upstream version's attestations document, byte for byte; AppError('not_found') when it has none. */
  attestations(name: string, version: string): Promise<AttestationsAnswer>;
}

/**
 * How NPM_METADATA_CACHE_BYTES is shared, summing to the whole budget: served documents (merged, with their
 * rendered bytes) and the upstream copies they are built from, and a slice for keys and attestations documents
 * (small ones).
 */
const METADATA_SHARE = { served: 15 / 32, upstreamCopies: 15 / 32, assertions: 2 / 32 } as const;

/** Builds the npm use-cases over the store and the upstream port; the app's createApp calls it once. */
export function createNpmService(deps: NpmServiceDeps): NpmService {
  const { store, upstream, logger } = deps;
  const now = deps.now ?? Date.now;
  const upstreamDocs = upstream && new UpstreamDocumentCache({
    source: upstreamPackuments(upstream), store, logger, ttlMs: deps.metadataTtlMs, notFoundTtlMs: deps.notFoundTtlMs,
    maxEntries: deps.metadataCacheEntries, maxBytes: deps.metadataCacheBytes * METADATA_SHARE.upstreamCopies, clock: { now },
    ...(deps.staleWhileRevalidateMs ? { staleWhileRevalidateMs: deps.staleWhileRevalidateMs } : {}),
    ...(deps.upstreamHealth ? { health: deps.upstreamHealth } : {}),
  });
  const reader = new PackageReader({
    store, upstreamDocs, policy: deps.policy, cacheEntries: deps.metadataCacheEntries, cacheBytes: deps.metadataCacheBytes * METADATA_SHARE.served,
    privateRecheckMs: deps.privateRecheckMs, now,
  });
  const readThrough = createReadThrough({
    store, logger, ...(deps.spoolDir ? { spoolDir: deps.spoolDir } : {}), ...(deps.downloadRedirect ? { redirect: deps.downloadRedirect } : {}),
    memory: memoryTierOf(deps.tarballCacheBytes),
  });
  const firewall = deps.firewall ?? Firewall.off();
  const served = new ServedPackuments(firewall, (state, baseUrl) => reader.rendered(state, baseUrl));
  const tarballs = new Tarballs({ reader, upstream, readThrough, served, store });
  const claimable = claimableNames(deps.claimableNames ?? []);
  const claims: ClaimCheck = {
    upstreamDocs, setting: 'NPM_CLAIMABLE_NAMES',
    // A private scope never goes upstream, and a merge-allowlisted name keeps its upstream versions: neither hides one.
    mayClaim: (name) => claimable(name) || !mayAskUpstream(name, false, deps.policy) || deps.policy.mergeAllowlist.has(name),
  };
  const publisher = new Publisher({ store, reader, rules: deps.publishRules, signingKeys: deps.signing.keys, claims });
  const assertions = new RegistryAssertions({
    store, reader, upstream, signing: deps.signing, logger, ttlMs: deps.metadataTtlMs, notFoundTtlMs: deps.notFoundTtlMs,
    maxBytes: deps.metadataCacheBytes * METADATA_SHARE.assertions, clock: { now }, ...(deps.upstreamHealth ? { health: deps.upstreamHealth } : {}),
  });
  const audits = new AuditRequests({ reader, upstream, upstreamDocs, policy: deps.policy, privateAdvisories: deps.privateAdvisories });
  const changes = new PackageChanges({ store, reader, rules: deps.publishRules });
  const search = new SearchService({ reader, upstream, policy: deps.policy, logger });

  return {
    packument: (name) => reader.resolve(name),
    served: (state) => served.serve(state),
    packumentForWrite: (name) => reader.forWrite(name),
    tarball: (name, filename, req) => tarballs.open(name, filename, req),
    publish: (req, actor) => publisher.publish(req, actor),
    applyDocument: (name, body, withRev, actor) => changes.applyDocument(name, body, withRev, actor),
    unpublishAll: (name, actor) => changes.unpublishAll(name, actor),
    deleteTarball: (name, version, actor) => changes.deleteTarball(name, version, actor),
    setDistTag: (name, tag, version, actor) => changes.setDistTag(name, tag, version, actor),
    removeDistTag: (name, tag, actor) => changes.removeDistTag(name, tag, actor),
    search: (query) => search.search(query),
    forwardAudit: (path, body) => audits.forward(path, body),
    keys: () => assertions.keysDocument(),
    attestations: (name, version) => assertions.attestations(name, version),
  };
}

/**
 * What the npm side supplies to the one upstream-document cache: fetch (the upstream port) and parse. A
 * refreshed document replaces the old one, so versions removed upstream disappear (protocols §8.27).
 */
export function upstreamPackuments(upstream: NpmUpstream): UpstreamDocumentSource<Packument> {
  return {
    storageKey: storageKeys.upstreamPackument,
    fetch: (name, etag) => upstream.fetchPackument(name, etag),
    parse: (name, fetched) => parseUpstreamPackument(name, fetched.body),
  };
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
  return withSafeMaps(doc);
}

import { AppError } from '@registry/shared-errors';
import type { BlobStore } from '@registry/storage-blob-store';
import type { BlobAnswer, OpenOptions, ReadOptions, ReadThrough } from '@registry/storage-read-through';
import type { PackageReader, TarballOrigin } from './package-reader';
import type { NpmUpstream } from './ports';
import type { ServedPackuments } from './served-packument';
import { storageKeys } from './storage-keys';

export type TarballRequest = ReadOptions;

export interface Tarball extends BlobAnswer {
  version: string;
  /** 'private' for a tarball published here, 'upstream' for one of the pull-through cache. */
  origin: TarballOrigin['kind'];
  /** `waiver` when an exemption let a held version through (the event's `extra.policy`). */
  policy?: 'waiver';
}

/**
 * Tarballs: private ones from the store; upstream ones from the cache or fetched through (coalesced, verified
 * against `dist.integrity`/`shasum` before anything is committed, protocols §3.5). Only filenames listed in the
 * current packument are served, so versions removed upstream stop being served after a refresh (protocols §8.27).
 * Whether it is cached is the read-through's call alone.
 */
export class Tarballs {
  constructor(private readonly deps: {
    reader: PackageReader; upstream: NpmUpstream | undefined; readThrough: ReadThrough; served: ServedPackuments; store: BlobStore;
  }) {}

  private missing(name: string, filename: string, isPrivate: boolean): Promise<AppError> {
    return takedownOrMissing(this.deps.store, name, filename, isPrivate);
  }

  async open(name: string, filename: string, req: TarballRequest = {}): Promise<Tarball> {
    const { state } = await this.deps.reader.resolve(name);
    const origin = state.tarballs.get(filename);
    if (!origin) throw await this.missing(name, filename, state.isPrivate);
    // The firewall's holds apply to direct downloads too (lockfile installs never read the packument first).
    const policy = origin.kind === 'upstream' ? this.deps.served.serve(state).check(origin.version) : undefined;
    const opts: OpenOptions = {
      ...(req.range ? { range: req.range } : {}), ...(req.headOnly ? { headOnly: true } : {}), ...(req.signal ? { signal: req.signal } : {}),
    };
    if (origin.kind === 'private') {
      const stored = await this.deps.readThrough.open(origin.key, opts);
      if (stored === undefined) throw new AppError('not_found', `tarball ${filename} of ${name} is missing from storage`);
      return { ...stored, version: origin.version, origin: 'private' };
    }
    const upstream = this.deps.upstream;
    if (!upstream) throw new AppError('not_found', `tarball ${filename} not found for ${name}`);
    if (!origin.digest) throw new AppError('upstream_unavailable', `upstream gives no usable integrity for ${name}@${origin.version}; refusing to cache it`);
    const url = onConfiguredUpstream(origin.url, upstream.origin, name);
    const result = await this.deps.readThrough.open(storageKeys.upstreamTarball(name, filename), {
      ...opts,
      upstream: { fetch: (signal) => upstream.openTarball(url, signal), expectedDigest: origin.digest },
    });
    return { ...(result as NonNullable<typeof result>), version: origin.version, origin: 'upstream', ...(policy ? { policy } : {}) };
  }
}

/**
 * A filename the current packument does not list: a takedown (README "Firewall") when its bytes are cached from
 * the upstream (unpublished, or replaced by a security placeholder): kept for forensics, answered 410 with
 * `extra.policy=takedown`; otherwise a plain 404.
 */
async function takedownOrMissing(store: BlobStore, name: string, filename: string, isPrivate: boolean): Promise<AppError> {
  const cached = isPrivate ? undefined : await store.head(storageKeys.upstreamTarball(name, filename));
  if (cached === undefined) return new AppError('not_found', `tarball ${filename} not found for ${name}`);
  const message = `${filename} of ${name} is no longer listed by the upstream (unpublished or taken down); this registry keeps it but no longer serves it`;
  return new AppError('gone', message, { details: { policy: 'takedown' }, reasonPhrase: `Gone: ${message}` });
}

/**
 * Where a tarball is fetched now (protocols §8.2): only the configured upstream is ever contacted. A URL on
 * another host (a copy recorded before NPM_UPSTREAM_URL changed, or a hostile document) is fetched from the
 * configured upstream at the same path; the integrity check decides whether the bytes are the right ones.
 */
function onConfiguredUpstream(url: string, configuredOrigin: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('upstream_unavailable', `upstream tarball URL of ${name} is not a URL`);
  }
  return parsed.origin === configuredOrigin ? url : `${configuredOrigin}${parsed.pathname}${parsed.search}`;
}

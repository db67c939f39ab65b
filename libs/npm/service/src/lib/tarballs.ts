import { AppError } from '@registry/shared-errors';
import type { BlobAnswer, OpenOptions, ReadOptions, ReadThrough } from '@registry/storage-read-through';
import type { PackageReader, TarballOrigin } from './package-reader';
import type { NpmUpstream } from './ports';
import { storageKeys } from './storage-keys';

export type TarballRequest = ReadOptions;

export interface Tarball extends BlobAnswer {
  version: string;
  /** 'private' for a tarball published here, 'upstream' for one of the pull-through cache. */
  origin: TarballOrigin['kind'];
}

/**
 * Tarballs: private ones from the store; upstream ones from the cache or fetched through (coalesced, verified
 * against `dist.integrity`/`shasum` before anything is committed, protocols §3.5). Only filenames listed in the
 * current packument are served, so versions removed upstream stop being served after a refresh (protocols §8.27).
 * Whether it is cached is the read-through's call alone.
 */
export class Tarballs {
  constructor(private readonly deps: { reader: PackageReader; upstream: NpmUpstream | undefined; readThrough: ReadThrough }) {}

  async open(name: string, filename: string, req: TarballRequest = {}): Promise<Tarball> {
    const { state } = await this.deps.reader.resolve(name);
    const origin = state.tarballs.get(filename);
    if (!origin) throw new AppError('not_found', `tarball ${filename} not found for ${name}`);
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
    return { ...(result as NonNullable<typeof result>), version: origin.version, origin: 'upstream' };
  }
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

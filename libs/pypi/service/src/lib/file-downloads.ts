import { AppError } from '@registry/shared-errors';
import type { BlobStore } from '@registry/storage-blob-store';
import type { BlobAnswer, ReadOptions, ReadThrough, UpstreamFill } from '@registry/storage-read-through';
import { parseDistributionFilename, statusOffersFiles } from '@registry/pypi-protocol';
import type { PypiUpstream } from './ports';
import type { ProjectPages } from './project-pages';
import { storageKeys } from './storage-keys';

export interface FileRequest extends ReadOptions {
  project: string;
  /** A distribution filename, or one followed by `.metadata` (PEP 658). */
  filename: string;
}

export interface FileDownload extends BlobAnswer {
  sha256: string | undefined;
  lastModified: Date | undefined;
  contentType: string;
  /** From the filename (or the private record); undefined when it does not parse. */
  version: string | undefined;
  /** True for a `.metadata` file (PEP 658). */
  isMetadata: boolean;
  /** 'private' for a file uploaded here, 'upstream' for one of the pull-through cache. */
  origin: 'private' | 'upstream';
  /** `waiver` when an exemption let a held file through (the event's `extra.policy`). */
  policy?: 'waiver';
}

interface Located {
  origin: FileDownload['origin'];
  key: string;
  sha256: string | undefined;
  version: string | undefined;
  /** How to fill the cache on a miss; undefined for private files (they are always stored). */
  upstream?: UpstreamFill;
  policy?: 'waiver';
}

const METADATA_SUFFIX = '.metadata';

/**
 * Files and their PEP 658 metadata. Which file may be served is decided by the project's current page (private
 * records first, then the upstream page); whether it is cached is the read-through's call alone.
 */
export class FileDownloads {
  constructor(private readonly deps: { pages: ProjectPages; upstream: PypiUpstream | undefined; readThrough: ReadThrough; store: BlobStore }) {}

  async open(req: FileRequest): Promise<FileDownload> {
    const isMetadata = req.filename.endsWith(METADATA_SUFFIX);
    const distFilename = isMetadata ? req.filename.slice(0, -METADATA_SUFFIX.length) : req.filename;
    const located = await this.locate(req.project, distFilename, isMetadata);
    const opened = await this.deps.readThrough.open(located.key, {
      ...(located.upstream ? { upstream: located.upstream } : {}),
      ...(req.range ? { range: req.range } : {}), ...(req.headOnly ? { headOnly: true } : {}), ...(req.signal ? { signal: req.signal } : {}),
    });
    if (opened === undefined) throw new AppError('not_found', `${req.filename} is missing from the store`);
    return {
      body: opened.body, size: opened.size, ...(opened.range ? { range: opened.range } : {}), ...(opened.location ? { location: opened.location } : {}),
      sha256: located.sha256, lastModified: opened.meta?.storedAt, source: opened.source, origin: located.origin, isMetadata,
      contentType: isMetadata ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      version: located.version ?? parseDistributionFilename(distFilename, req.project)?.version,
      ...(located.policy ? { policy: located.policy } : {}),
    };
  }

  /**
   * A file the current page does not offer: a takedown (README "Firewall") when its bytes are cached from the
   * upstream (removed upstream, or the project quarantined, PEP 792): kept, answered 410 with
   * `extra.policy=takedown`; otherwise a plain 404.
   */
  private async takedownOrMissing(project: string, filename: string, isMetadata: boolean): Promise<AppError> {
    const key = isMetadata ? storageKeys.upstreamMetadata(project, filename) : storageKeys.upstreamFile(project, filename);
    if ((await this.deps.store.head(key)) === undefined) return new AppError('not_found', `no file ${filename} in project ${project}`);
    const message = `${filename} is no longer offered by the upstream for ${project} (removed or quarantined); this index keeps it but no longer serves it`;
    return new AppError('gone', message, { details: { policy: 'takedown' }, reasonPhrase: `Gone: ${message}` });
  }

  private async locate(project: string, filename: string, isMetadata: boolean): Promise<Located> {
    const served = await this.deps.pages.servedFile(project, filename);
    // PEP 792: a quarantined project offers no files (its page lists none either).
    if (served?.origin === 'private' && !statusOffersFiles(served.status)) throw new AppError('not_found', `project ${project} is quarantined`);
    if (served?.origin === 'private') {
      const { record } = served;
      if (isMetadata && record.metadataSha256 === null) throw new AppError('not_found', `no metadata file for ${filename}`);
      return isMetadata
        ? { origin: 'private', key: storageKeys.privateMetadata(project, record.sha256, filename), sha256: record.metadataSha256 ?? undefined, version: record.version }
        : { origin: 'private', key: storageKeys.privateFile(project, record.sha256, filename), sha256: record.sha256, version: record.version };
    }
    // The firewall's holds apply to direct downloads (and their metadata) too: lockfile installs skip the page.
    if (served === undefined) throw await this.takedownOrMissing(project, filename, isMetadata);
    const { file, policy } = served;
    const metadataSha = typeof file.coreMetadata === 'object' ? file.coreMetadata['sha256'] : undefined;
    const sha256 = isMetadata ? metadataSha : file.hashes['sha256'];
    if (sha256 === undefined) throw new AppError('not_found', `no verifiable ${isMetadata ? 'metadata for' : 'hash for'} ${filename}`);
    const url = isMetadata ? `${file.url}${METADATA_SUFFIX}` : file.url;
    const upstream = this.deps.upstream;
    // A cached copy is served whatever host the page named; a fetch goes only to the configured hosts (the adapter).
    if (upstream === undefined) throw new AppError('not_found', `no file ${filename} in project ${project}`);
    const key = isMetadata ? storageKeys.upstreamMetadata(project, filename) : storageKeys.upstreamFile(project, filename);
    const size = isMetadata ? undefined : (file.size ?? undefined);
    return {
      origin: 'upstream', key, sha256, version: undefined, ...(policy ? { policy } : {}),
      upstream: {
        fetch: (signal) => upstream.openFile(url, signal), expectedDigest: { algorithm: 'sha256', hex: sha256 },
        ...(size !== undefined ? { expectedSize: size } : {}), contentType: isMetadata ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      },
    };
  }
}

import type { Logger } from '@registry/shared-logger';
import { AppError } from '@registry/shared-errors';
import { parseUpstreamProjectList, renderProjectList, type SimpleFormat } from '@registry/pypi-protocol';
import type { BlobStore } from '@registry/storage-blob-store';
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
}

const ROOT = 'root';

/**
 * The root page `/simple/` (protocols §1.12): the upstream's root index (through the one upstream-document cache,
 * long TTL, served stale when the upstream fails) merged with the private projects and the cached upstream pages.
 * The rendered bytes are kept per format until the merged names change.
 */
export class ProjectList {
  private readonly upstreamRoot: UpstreamDocumentCache<string[]> | undefined;
  private rendered: { key: string; format: SimpleFormat; body: Buffer } | undefined;

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
  }

  async render(format: SimpleFormat): Promise<Buffer> {
    const local = new Set<string>();
    for await (const key of this.opts.store.list(storageKeys.privateProjectsPrefix)) local.add(baseName(key));
    for await (const key of this.opts.store.list(storageKeys.upstreamPagesPrefix)) local.add(baseName(key));
    const upstream = await this.upstreamNames();
    const key = `${upstream.stamp}|${[...local].sort().join(',')}`;
    if (this.rendered?.key === key && this.rendered.format === format) return this.rendered.body;
    const names = new Set(upstream.names);
    for (const name of local) names.add(name);
    const body = Buffer.from(renderProjectList([...names].sort(), format, this.opts.simpleBase));
    this.rendered = { key, format, body };
    return body;
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

const baseName = (key: string): string => key.slice(key.lastIndexOf('/') + 1).replace(/\.json$/, '');

import { AppError } from '@registry/shared-errors';
import { UpstreamDocumentCache, verbatimJson, type UpstreamDocumentSource, type UpstreamFetch, type UpstreamDocumentSettings, type VerbatimDocument } from '@registry/storage-read-through';
import { integrityProvenancePath, isProvenance, proxiedProvenanceUrl, statusOffersFiles, type ProvenanceLocation } from '@registry/pypi-protocol';
import type { PypiUpstream } from './ports';
import { privateFileOf } from './private-projects';
import type { ProjectPages } from './project-pages';
import { storageKeys } from './storage-keys';

export interface ProvenanceAnswer {
  /** The provenance object's bytes: a private file's as stored, an upstream file's exactly as the upstream sent them. */
  body: Buffer;
  source: 'cache' | 'upstream';
  /** True when the upstream failed and its last good copy is served (stale-if-error). */
  stale: boolean;
}

export interface ProvenancesOptions extends UpstreamDocumentSettings {
  pages: ProjectPages;
  upstream: PypiUpstream | undefined;
}

/**
 * The PEP 740 Integrity API's use-case (protocols §11): a file's provenance, for a file the project's current
 * page offers. Private files answer from their stored provenance; upstream files through the one upstream
 * document cache, fetched from the URL the upstream page gave, so nothing the page does not name is asked for.
 */
export class Provenances {
  private readonly upstreamDocs: UpstreamDocumentCache<VerbatimDocument> | undefined;

  constructor(private readonly opts: ProvenancesOptions) {
    const upstream = opts.upstream;
    this.upstreamDocs = upstream && new UpstreamDocumentCache({
      source: this.upstreamSource(upstream), store: opts.store, logger: opts.logger, ttlMs: opts.ttlMs, notFoundTtlMs: opts.notFoundTtlMs,
      maxBytes: opts.maxBytes, clock: opts.clock, ...(opts.health ? { health: opts.health } : {}),
    });
  }

  async open(loc: ProvenanceLocation): Promise<ProvenanceAnswer> {
    const privateProject = await this.opts.pages.privateProject(loc.project);
    const record = privateFileOf(privateProject, loc.filename);
    if (record !== undefined) {
      const stored = record.version === loc.version && record.provenanceSha256 && statusOffersFiles(privateProject?.status)
        ? await this.opts.store.getDocument(storageKeys.privateProvenance(loc.project, record.sha256, record.provenanceSha256))
        : undefined;
      if (stored === undefined) throw noProvenance(loc);
      return { body: stored.body, source: 'cache', stale: false };
    }
    const lookup = await this.upstreamDocs?.get(nameOf(loc));
    if (lookup?.document === undefined) throw noProvenance(loc);
    return { body: Buffer.from(lookup.document.doc.text), source: lookup.source, stale: lookup.stale };
  }

  private upstreamSource(upstream: PypiUpstream): UpstreamDocumentSource<VerbatimDocument> {
    return {
      storageKey: storageKeys.upstreamProvenance,
      fetch: async (name, etag): Promise<UpstreamFetch> => {
        const url = await this.upstreamUrlOf(locationOf(name));
        return url === undefined ? { kind: 'not_found' } : upstream.fetchProvenance(url, etag);
      },
      parse: (name, fetched) => verbatimJson(fetched, isProvenance, `a provenance object for ${name}`),
    };
  }

  /**
   * The upstream's own URL for this file's provenance, when the current page offers the file with one whose
   * release version is the asked one and whose origin is a configured upstream origin; else undefined.
   */
  private async upstreamUrlOf(loc: ProvenanceLocation): Promise<string | undefined> {
    const file = await this.opts.pages.upstreamFile(loc.project, loc.filename);
    const url = file?.provenance;
    if (typeof url !== 'string' || !this.opts.upstream?.isAllowedFileUrl(url)) return undefined;
    return proxiedProvenanceUrl(url, loc.project, loc.filename, '') === integrityProvenancePath(loc) ? url : undefined;
  }
}

const nameOf = (loc: ProvenanceLocation): string => `${loc.project}/${loc.version}/${loc.filename}`;

function locationOf(name: string): ProvenanceLocation {
  const [project = '', version = '', filename = ''] = name.split('/');
  return { project, version, filename };
}

const noProvenance = (loc: ProvenanceLocation) => new AppError('not_found', `No provenance available for ${loc.filename}`);

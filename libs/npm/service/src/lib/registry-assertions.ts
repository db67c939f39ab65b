import { AppError } from '@registry/shared-errors';
import { UpstreamDocumentCache, verbatimJson, type UpstreamDocumentSource, type UpstreamDocumentSettings, type VerbatimDocument } from '@registry/storage-read-through';
import {
  keysDocumentEntry, mergeKeysDocuments, parseKeysDocument, tarballFilename,
  type KeysDocument, type RegistryKeyEntry, type RegistrySigningKey, type VersionManifest,
} from '@registry/npm-protocol';
import type { PackageReader } from './package-reader';
import type { NpmUpstream } from './ports';
import { storageKeys } from './storage-keys';

/** This registry's signing keys (protocols §14): configuration, never stored with the packages. */
export interface RegistrySigning {
  /** Keys every new private version is signed with at publish (one; two while a rotation overlaps). */
  keys: readonly RegistrySigningKey[];
  /** Retired public keys, listed with their expiry so versions they signed keep verifying. */
  retired: readonly RegistryKeyEntry[];
}

export interface AttestationsAnswer {
  /** The upstream's attestations document, byte for byte. */
  body: Buffer;
  source: 'cache' | 'upstream';
  stale: boolean;
}

export interface RegistryAssertionsOptions extends UpstreamDocumentSettings {
  reader: PackageReader;
  upstream: NpmUpstream | undefined;
  signing: RegistrySigning;
}

const KEYS = 'keys';

/**
 * What the registry asserts about versions: the keys document (the upstream's keys, so its signatures keep
 * verifying through us, then ours) and the upstream versions' attestations, both through the one upstream
 * document cache. Private versions are signed at publish (Publisher); their client-sent attestations are dropped.
 */
export class RegistryAssertions {
  private readonly upstreamKeys: UpstreamDocumentCache<RegistryKeyEntry[]> | undefined;
  private readonly attestationDocs: UpstreamDocumentCache<VerbatimDocument> | undefined;
  private readonly ownKeys: RegistryKeyEntry[];

  constructor(private readonly opts: RegistryAssertionsOptions) {
    const { upstream } = opts;
    const cache = <D>(source: UpstreamDocumentSource<D>) => new UpstreamDocumentCache({
      source, store: opts.store, logger: opts.logger, ttlMs: opts.ttlMs, notFoundTtlMs: opts.notFoundTtlMs, maxBytes: opts.maxBytes, clock: opts.clock,
      ...(opts.health ? { health: opts.health } : {}),
    });
    this.upstreamKeys = upstream && cache({
      storageKey: storageKeys.upstreamKeys,
      fetch: (_name, etag) => upstream.fetchKeys(etag),
      parse: (_name, fetched) => parseKeysDocument(parseJson(fetched.body, 'a keys document')),
    });
    this.attestationDocs = upstream && cache({
      storageKey: storageKeys.upstreamAttestations,
      fetch: async (spec, etag) => {
        const url = await this.upstreamAttestationsUrl(spec);
        return url === undefined ? { kind: 'not_found' } : upstream.fetchAttestations(url, etag);
      },
      parse: (spec, fetched) => verbatimJson(fetched, isAttestationsDocument, `an attestations document for ${spec}`),
    });
    this.ownKeys = [...opts.signing.keys.map(keysDocumentEntry), ...opts.signing.retired];
  }

  /** What `/-/npm/v1/keys` serves; undefined when nobody has keys (npm reads a 404 as "no keys"). */
  async keysDocument(): Promise<{ document: KeysDocument; source: 'cache' | 'upstream' } | undefined> {
    const lookup = await this.upstreamKeys?.get(KEYS);
    const document = mergeKeysDocuments(lookup?.document?.doc ?? [], this.ownKeys);
    return document.keys.length === 0 ? undefined : { document, source: lookup?.source ?? 'cache' };
  }

  /** An upstream version's attestations (protocols §15); AppError('not_found') for private versions and versions without. */
  async attestations(name: string, version: string): Promise<AttestationsAnswer> {
    const lookup = await this.attestationDocs?.get(`${name}@${version}`);
    if (lookup?.document === undefined) throw new AppError('not_found', `no attestations for ${name}@${version}`);
    return { body: Buffer.from(lookup.document.doc.text), source: lookup.source, stale: lookup.stale };
  }

  /**
   * The upstream URL of a version's attestations: only for a version served from the upstream (a name the
   * dependency-confusion policy lets us ask about), whose manifest names them on the upstream's own origin.
   */
  private async upstreamAttestationsUrl(spec: string): Promise<string | undefined> {
    const at = spec.lastIndexOf('@');
    const name = spec.slice(0, at);
    const version = spec.slice(at + 1);
    const { state } = await this.opts.reader.resolve(name);
    if (state.tarballs.get(tarballFilename(name, version))?.kind !== 'upstream') return undefined;
    const url = attestationsOf(state.doc.versions[version])?.['url'];
    if (typeof url !== 'string') return undefined;
    try {
      return new URL(url).origin === this.opts.upstream?.origin ? url : undefined;
    } catch {
      return undefined;
    }
  }
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new AppError('upstream_unavailable', `upstream sent ${what} that is not JSON`, { cause: err });
  }
}

const attestationsOf = (manifest: VersionManifest | undefined): Record<string, unknown> | undefined => {
  const value = manifest?.dist?.['attestations'];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
};

/** `{"attestations": [{predicateType, bundle}, ...]}` (protocols §15). */
function isAttestationsDocument(value: unknown): boolean {
  const list = (value as { attestations?: unknown } | null)?.attestations;
  return Array.isArray(list) && list.every((a) => typeof a === 'object' && a !== null && typeof (a as { predicateType?: unknown }).predicateType === 'string');
}

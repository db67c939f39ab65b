import { abbreviatePackument, withRegistryUrls, type Packument } from '@registry/npm-protocol';

/**
 * The serialized full and abbreviated documents for one base URL, made once per change: the HTTP layer turns each
 * into a representation (its ETag and gzip, protocols §6.2: corgi and full never share an ETag) and keeps it with
 * the bytes.
 */
export interface RenderedPackument {
  full: Buffer;
  abbreviated: Buffer;
  /** `time.modified`, for Last-Modified. */
  lastModified: string | undefined;
}

/**
 * Every tarball URL rewritten to `<baseUrl>/<name>/-/<scopeless>-<version>.tgz` (protocols §3.6), and every
 * `dist.attestations.url` to this registry (protocols §15).
 */
export function renderPackument(doc: Packument, baseUrl: string): RenderedPackument {
  const rewritten = withRegistryUrls(doc, baseUrl);
  return {
    full: Buffer.from(JSON.stringify(rewritten)),
    abbreviated: Buffer.from(JSON.stringify(abbreviatePackument(rewritten))),
    lastModified: doc.time?.['modified'],
  };
}


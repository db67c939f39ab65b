import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { abbreviatePackument, withTarballUrls, tarballPath, type Packument } from '@registry/npm-protocol';

const gzipAsync = promisify(gzip);

/** Serialized bytes of one representation, with its own validator (§6.2: corgi and full never share an ETag). */
export interface RenderedDocument {
  body: Buffer;
  etag: string;
  lastModified: string | undefined;
  gzipped(): Promise<Buffer>;
}

export interface RenderedPackument {
  full: RenderedDocument;
  abbreviated: RenderedDocument;
}

/** Every tarball URL rewritten to `<baseUrl>/<name>/-/<scopeless>-<version>.tgz` (§3.6). */
export function renderPackument(doc: Packument, baseUrl: string): RenderedPackument {
  const rewritten = withTarballUrls(doc, (version) => baseUrl + tarballPath(doc.name, version));
  const lastModified = doc.time?.['modified'];
  return {
    full: renderDocument(Buffer.from(JSON.stringify(rewritten)), 'full', lastModified),
    abbreviated: renderDocument(Buffer.from(JSON.stringify(abbreviatePackument(rewritten))), 'corgi', lastModified),
  };
}

function renderDocument(body: Buffer, form: string, lastModified: string | undefined): RenderedDocument {
  // A plain view: @types/node 20's Buffer does not satisfy TS 5.9's generic BinaryLike.
  const view = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
  const hash = createHash('sha1').update(view).digest('hex');
  let compressed: Promise<Buffer> | undefined;
  return {
    body,
    // Weak: the same validator covers the identity and the gzip encoding of these bytes (§6.2 "Compression").
    etag: `W/"${form}-${hash}"`,
    lastModified,
    gzipped: () => (compressed ??= gzipAsync(view)),
  };
}

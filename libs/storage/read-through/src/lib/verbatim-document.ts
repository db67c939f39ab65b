import { AppError } from '@registry/shared-errors';
import type { UpstreamFetch } from './upstream-documents';

/**
 * An upstream document served byte for byte (a PEP 740 provenance object, an npm attestations bundle: signed
 * content a proxy must not re-serialize). Kept as its text, which JSON persists losslessly when the bytes are
 * UTF-8, as JSON documents are.
 */
export interface VerbatimDocument {
  text: string;
  contentType: string | undefined;
}

/**
 * The `parse` step of an UpstreamDocumentSource for verbatim JSON documents: the bytes must be UTF-8 JSON that
 * `isWellFormed` accepts; anything else is AppError('upstream_unavailable') (the cache keeps its last good copy).
 */
export function verbatimJson(fetched: Extract<UpstreamFetch, { kind: 'ok' }>, isWellFormed: (value: unknown) => boolean, what: string): VerbatimDocument {
  const text = fetched.body.toString('utf8');
  if (!Buffer.from(text).equals(fetched.body)) {
    throw new AppError('upstream_unavailable', `upstream sent ${what} that is not UTF-8`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AppError('upstream_unavailable', `upstream sent ${what} that is not JSON`, { cause: err });
  }
  if (!isWellFormed(value)) throw new AppError('upstream_unavailable', `upstream sent ${what} of the wrong shape`);
  return { text, contentType: fetched.contentType };
}

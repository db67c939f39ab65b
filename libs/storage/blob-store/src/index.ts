export type {
  BlobStore, BlobMeta, StoredBlob, PendingBlob, BeginOptions, ByteRange, DigestAlgorithm, StoredDocument, PutDocumentOptions,
} from './lib/blob-store';
export { jsonDocumentAt, readJsonDocument, updateDocument, type JsonDocument, type UpdateDocumentOptions, type UpdateDocumentResult } from './lib/json-document';
export { recheckedJsonDocument, type RecheckedDocumentOptions } from './lib/rechecked-document';
export { prefixedBlobStore } from './lib/prefixed-blob-store';
export { ByteDigester, bytesOf, type Digests } from './lib/integrity';
export { createStagedBody, type StagedBody } from './lib/integrity';
export { assertValidKey, assertValidPrefix, compareKeys, STAGING_SEGMENT, STORE_UNAVAILABLE } from './lib/keys';
export { resolveByteRange } from './lib/byte-range';

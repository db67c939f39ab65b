export type {
  BlobStore, BlobMeta, StoredBlob, PendingBlob, BeginOptions, ByteRange, DigestAlgorithm, StoredDocument, PutDocumentOptions,
} from './lib/blob-store';
export { updateDocument, type UpdateDocumentOptions, type UpdateDocumentResult } from './lib/update-document';
export { prefixedBlobStore } from './lib/prefixed-blob-store';
export { sha512IntegrityToHex, verifyIntegrity, ByteDigester, bytesOf, type Digests } from './lib/integrity';
export { createStagedBody, type StagedBody } from './lib/staged-body';
export { assertValidKey, assertValidPrefix, compareKeys, STAGING_SEGMENT } from './lib/keys';
export { resolveByteRange } from './lib/byte-range';

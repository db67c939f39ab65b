export type {
  BlobStore, BlobMeta, StoredBlob, PendingBlob, BeginOptions, ByteRange, DigestAlgorithm, StoredDocument, PutDocumentOptions,
} from './lib/blob-store';

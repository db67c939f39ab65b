// Test helpers of storage-blob-store: fakes and contract suites, for spec files only.
export { CountingBlobStore, InMemoryBlobStore } from './lib/testing/in-memory-blob-store';
export { FAKE_OBJECT_ORIGIN, PresigningBlobStore } from './lib/testing/presigning-blob-store';
export { describeBlobStoreContract } from './lib/testing/describe-blob-store-contract';
export { readAll, generatedChunks, putBlob, asSeparateInstance, type BlobStoreUnderTest } from './lib/testing/contract-support';

// Public API of storage-blob-store-s3.
export {};

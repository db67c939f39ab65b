// Public API of storage-blob-store-fs.
export {};

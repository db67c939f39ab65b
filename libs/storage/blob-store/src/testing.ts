// Test helpers of storage-blob-store: fakes and contract suites, for spec files only.
export {};

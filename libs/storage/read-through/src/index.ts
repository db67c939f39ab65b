// Public API of storage-read-through.
export {};

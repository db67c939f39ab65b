export { createFsBlobStore, type FsBlobStoreOptions } from './lib/fs-blob-store';

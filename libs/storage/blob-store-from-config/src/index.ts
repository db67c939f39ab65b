export { createBlobStore, type StorageSettings } from './lib/create-blob-store';

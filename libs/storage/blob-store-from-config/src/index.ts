export { createBlobStore, downloadRedirectOf, type StorageSettings } from './lib/create-blob-store';

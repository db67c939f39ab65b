import { CountingBlobStore } from './in-memory-blob-store';

/** Where the fake's download URLs point (never contacted: tests check what the client is sent). */
export const FAKE_OBJECT_ORIGIN = 'http://objects.invalid';

/**
 * The in-memory store with `downloadUrl`, as the S3 adapter offers it, for tests of download redirects above the
 * port (the real presigned URL is tested against the real S3 server). The URL names the key and its lifetime.
 */
export class PresigningBlobStore extends CountingBlobStore {
  presigned = 0;

  async downloadUrl(key: string, opts: { expiresInMs: number }): Promise<string> {
    this.presigned++;
    return `${FAKE_OBJECT_ORIGIN}/${key}?expires-in-ms=${opts.expiresInMs}`;
  }
}

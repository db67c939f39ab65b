import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import {
  DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import {
  assertValidKey, assertValidPrefix, ByteDigester, bytesOf, resolveByteRange, STAGING_SEGMENT,
  type BlobMeta, type BlobStore, type StoredBlob, type StoredDocument,
} from '@registry/storage-blob-store';
import { KeyedMutex } from '@registry/shared-util';
import { createS3Client, type S3ConnectionOptions } from './s3-client';
import { isS3NotFound, toStoreError } from './s3-errors';
import { digestsToMetadata, isConsistentRead, metadataToDigests, parseContentRange, quote, stripQuotes } from './s3-object-meta';
import { beginS3Write } from './s3-staged-write';
import { s3DownloadUrls } from './s3-download-url';

export interface S3BlobStoreOptions extends S3ConnectionOptions {
  /** Key prefix inside the bucket (e.g. "registry/" or a per-test-run prefix); "" or omitted for the bucket root. */
  prefix?: string;
  /**
   * Read every conditional write back (S3_VERIFY_CONDITIONAL_WRITES), for servers whose If-Match is not atomic
   * across clients (versitygw). Off for AWS S3 and MinIO, where it would only cost a GET per document write.
   */
  verifyConditionalWrites?: boolean;
  /**
   * Where clients reach the store (S3_PUBLIC_ENDPOINT), when not at `endpoint`: presigned download URLs are
   * signed for this host. Omitted: `endpoint` (or AWS's own).
   */
  publicEndpoint?: string;
  logger: Logger;
}

/** BlobStore on S3 or any S3-compatible server (MinIO, versitygw), through @aws-sdk/client-s3. */
export function createS3BlobStore(opts: S3BlobStoreOptions): BlobStore {
  const client = createS3Client(opts);
  const { bucket, logger } = opts;
  // A second client only signs (it never opens a socket): the host clients use is part of the signature.
  const presign = s3DownloadUrls(opts.publicEndpoint === undefined ? client : createS3Client({ ...opts, endpoint: opts.publicEndpoint }), bucket);
  const prefix = normalisePrefix(opts.prefix ?? '');
  const stagingPrefix = `${prefix}${STAGING_SEGMENT}/`;
  const writesPerKey = new KeyedMutex();
  const objectKey = (key: string): string => {
    assertValidKey(key);
    return prefix + key;
  };
  const fail = (err: unknown, action: string, key: string): never => {
    const appError = toStoreError(err, action, key);
    if (appError.code === 'unavailable') logger.warn({ err: appError, action, key }, 'object store request failed');
    throw appError;
  };

  /**
   * Reads a document whose body agrees with its ETag. A body read together with a newer version's ETag would let a
   * compare-and-swap succeed on stale data (seen on versitygw under concurrent writes), so such a read is retried.
   */
  const readDocument = async (key: string): Promise<StoredDocument | undefined> => {
    for (let attempt = 1; ; attempt++) {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }))
        .catch((err: unknown) => (isS3NotFound(err) ? undefined : fail(err, 'get', key)));
      if (res?.Body === undefined) return undefined;
      const bytes = await res.Body.transformToByteArray().catch((err: unknown) => fail(err, 'read', key));
      const etag = stripQuotes(res.ETag ?? '');
      const consistent = isConsistentRead(bytes, etag);
      if (consistent || attempt >= 4) {
        // versitygw 1.7.0 can also keep such a pair for good after concurrent PUTs; then the next conditional
        // write (If-Match on this ETag) repairs it, so returning it beats failing the key forever.
        if (!consistent) logger.warn({ key, etag }, 'object store returned a body that does not match its ETag');
        return { body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), etag };
      }
      await delay(Math.random() * 5 * attempt);
    }
  };

  /**
   * Some S3-compatible servers (versitygw 1.7.0, the test server) check If-Match and then write without a lock, so
   * two writers holding the same ETag can both "succeed" and one update is lost. Reading the document back a moment
   * after a conditional write catches most such races: another body under the key means ours was overwritten, which
   * the port reports as a failed precondition, so updateDocument re-reads and applies its change again (mutations
   * are idempotent: a change already there writes nothing). Within one process the per-key queue makes the race
   * impossible; this is for several instances on one bucket.
   */
  const verifyConditionalWrite = async (key: string, etag: string): Promise<void> => {
    await delay(20); // lets a racing PUT that passed the same If-Match land before we look
    const stored = await readDocument(key);
    if (stored?.etag !== etag) throw new AppError('precondition_failed', `conditional write of ${key} was overwritten by a concurrent writer`, { publicMessage: 'the document changed concurrently' });
  };

  return {
    async get(key, getOpts = {}): Promise<StoredBlob | undefined> {
      const Key = objectKey(key);
      const wanted = getOpts.range;
      if (wanted !== undefined) resolveByteRange(wanted, Number.MAX_SAFE_INTEGER); // shape check; S3 checks the end
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key, ...(wanted ? { Range: `bytes=${wanted.start}-${wanted.end}` } : {}) }),
        getOpts.signal ? { abortSignal: getOpts.signal } : {})
        .catch((err: unknown) => (isS3NotFound(err) ? undefined : fail(err, 'get', key)));
      if (res === undefined) return undefined;
      const body = res.Body as Readable;
      const served = wanted === undefined ? undefined : parseContentRange(res.ContentRange);
      const size = served?.total ?? res.ContentLength ?? 0;
      const meta: BlobMeta = {
        key, size, contentType: res.ContentType ?? 'application/octet-stream', etag: stripQuotes(res.ETag ?? ''),
        storedAt: res.LastModified ?? new Date(0), digests: metadataToDigests(res.Metadata),
      };
      return served === undefined ? { meta, body } : { meta, body, range: { start: served.start, end: served.end } };
    },

    async head(key) {
      const res = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }))
        .catch((err: unknown) => (isS3NotFound(err) ? undefined : fail(err, 'head', key)));
      if (res === undefined) return undefined;
      return {
        key, size: res.ContentLength ?? 0, contentType: res.ContentType ?? 'application/octet-stream', etag: stripQuotes(res.ETag ?? ''),
        storedAt: res.LastModified ?? new Date(0), digests: metadataToDigests(res.Metadata),
      };
    },

    async begin(key, beginOpts = {}) {
      return beginS3Write({ client, bucket, objectKey: objectKey(key), stagingPrefix, logger }, key, beginOpts);
    },

    getDocument: (key) => readDocument(key),

    async putDocument(key, body, putOpts = {}) {
      // S3 answers If-Match on a missing key with 404 NoSuchKey; to the port that is a failed precondition.
      const notFound = (err: unknown): never => fail(isS3NotFound(err) && putOpts.ifMatch !== undefined
        ? new AppError('precondition_failed', `${key} does not exist`, { cause: err, publicMessage: 'the document does not exist' }) : err, 'put', key);
      const digester = new ByteDigester(undefined);
      digester.update(bytesOf(body));
      const conditional = putOpts.ifMatch !== undefined || putOpts.ifNoneMatch !== undefined;
      const put = async (): Promise<string> => {
        const res = await client.send(new PutObjectCommand({
          Bucket: bucket, Key: objectKey(key), Body: bytesOf(body), ContentLength: body.length,
          ContentType: putOpts.contentType ?? 'application/octet-stream', Metadata: digestsToMetadata(digester.digest()),
          ...(putOpts.ifMatch === undefined ? {} : { IfMatch: quote(putOpts.ifMatch) }),
          ...(putOpts.ifNoneMatch === undefined ? {} : { IfNoneMatch: '*' }),
        }));
        const etag = stripQuotes(res.ETag ?? '');
        if (conditional && opts.verifyConditionalWrites) await verifyConditionalWrite(key, etag);
        return etag;
      };
      return { etag: await writesPerKey.run(key, put).catch(notFound) };
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }))
        .catch((err: unknown) => (isS3NotFound(err) ? undefined : fail(err, 'delete', key)));
    },

    async *list(listPrefix) {
      assertValidPrefix(listPrefix);
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix + listPrefix, ...(token ? { ContinuationToken: token } : {}) }))
          .catch((err: unknown) => fail(err, 'list', listPrefix));
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined && !object.Key.startsWith(stagingPrefix)) yield object.Key.slice(prefix.length);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },

    async downloadUrl(key, urlOpts) {
      return presign(objectKey(key), urlOpts.expiresInMs).catch((err: unknown) => fail(err, 'presign', key));
    },

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket: bucket })).catch((err: unknown) => fail(err, 'ping', bucket));
    },
  };
}

function normalisePrefix(prefix: string): string {
  if (prefix === '') return '';
  const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
  assertValidKey(withSlash.slice(0, -1));
  return withSlash;
}

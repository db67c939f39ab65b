import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createStagedBody, type BeginOptions, type BlobMeta, type PendingBlob } from '@registry/storage-blob-store';
import type { Logger } from '@registry/shared-logger';
import { digestsToMetadata, stripQuotes } from './s3-object-meta';
import { toStoreError } from './s3-errors';

export interface StagingTarget {
  client: S3Client;
  bucket: string;
  /** Full object key of the final blob. */
  objectKey: string;
  /** Full object key prefix of the staging area, ending in "/". */
  stagingPrefix: string;
  logger: Logger;
}

const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4; // at most QUEUE_SIZE × PART_SIZE of a body in memory at a time

/**
 * A staged write on S3: lib-storage's Upload makes an object visible as soon
 * as the stream ends, so the bytes go to `<prefix>.staging/<uuid>` while being hashed; commit verifies size and
 * digest, then copies server-side to the final key (atomic for readers) and deletes the staging object.
 * Limit: CopyObject copies at most 5 GiB, so blobs above that are refused at commit (packages are far smaller).
 */
export function beginS3Write(target: StagingTarget, key: string, opts: BeginOptions): PendingBlob {
  const { client, bucket, logger } = target;
  const stagingKey = `${target.stagingPrefix}${randomUUID()}`;
  const contentType = opts.contentType ?? 'application/octet-stream';
  const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
  const upload = new Upload({ client, params: { Bucket: bucket, Key: stagingKey, Body: stream, ContentType: contentType }, partSize: PART_SIZE, queueSize: QUEUE_SIZE, leavePartsOnError: false });
  const uploaded = upload.done();
  // If the upload fails it stops reading the stream, which would leave the writer (and commit) waiting for
  // ever: fail the stream instead, so the writer's pipeline and commit() reject with the translated error.
  let uploadFailure: Error | undefined;
  uploaded.catch((err: unknown) => {
    uploadFailure = toStoreError(err, 'upload', key);
    if (!stream.destroyed) stream.destroy(uploadFailure);
  });
  const staged = createStagedBody(key, stream, opts);

  let cleaned: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => (cleaned ??= (async () => {
    // A body that ended (e.g. it failed verification) may already be in a PUT the server will complete even if
    // we cancel it client-side, so wait for that PUT and delete afterwards. A body that did not end never
    // reached a PutObject; a multipart upload in progress is aborted (AbortMultipartUpload).
    if (!stream.writableFinished) {
      stream.destroy();
      await upload.abort().catch(() => undefined);
    }
    await uploaded.catch(() => undefined);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: stagingKey })).catch((err: unknown) => {
      logger.warn({ err: toStoreError(err, 'delete', stagingKey), stagingKey }, 'could not delete a staging object; it is garbage now');
    });
  })());
  staged.body.once('close', () => { if (staged.body.errored) void cleanUp(); });

  return {
    body: staged.body,
    async commit(): Promise<BlobMeta> {
      try {
        const { size, digests } = await staged.finish();
        await uploaded.catch((err: unknown) => { throw toStoreError(err, 'upload', key); });
        const copied = await client.send(new CopyObjectCommand({
          Bucket: bucket,
          Key: target.objectKey,
          CopySource: `${bucket}/${stagingKey.split('/').map(encodeURIComponent).join('/')}`, // must be URL-encoded
          MetadataDirective: 'REPLACE',
          ContentType: contentType,
          Metadata: digestsToMetadata(digests),
        })).catch((err: unknown) => { throw toStoreError(err, 'copy', key); });
        const etag = stripQuotes(copied.CopyObjectResult?.ETag ?? '');
        return { key, size, contentType, etag, storedAt: copied.CopyObjectResult?.LastModified ?? new Date(), digests };
      } catch (err) {
        await cleanUp(); // settles `uploaded`, so uploadFailure is known by now
        throw uploadFailure ?? err; // lib-storage destroys the stream with a bare AbortError first; report the cause
      } finally {
        await cleanUp();
      }
    },
    abort: cleanUp,
  };
}

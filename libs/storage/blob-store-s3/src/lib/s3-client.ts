import http from 'node:http';
import https from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';

export interface S3ConnectionOptions {
  /** e.g. http://127.0.0.1:9000 for MinIO/versitygw; omit for AWS. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Omit both to use the SDK's default credential chain (instance role, env, profile). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (`endpoint/bucket/key`), needed by MinIO and most local servers. */
  forcePathStyle: boolean;
  /** Concurrent sockets to the store; default 256 (the SDK's default of 50 throttles a busy proxy). */
  maxSockets?: number;
}

/**
 * One S3 client with keep-alive sockets. Checksums only WHEN_REQUIRED: SDK 3.729+ adds CRC32 to every request
 * by default, which several S3-compatible servers reject; we verify our own digests anyway.
 */
export function createS3Client(opts: S3ConnectionOptions): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 256 };
  const credentials = opts.accessKeyId !== undefined && opts.secretAccessKey !== undefined
    ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
    : undefined;
  return new S3Client({
    region: opts.region,
    forcePathStyle: opts.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent: new http.Agent(agentOptions), httpsAgent: new https.Agent(agentOptions) },
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  });
}

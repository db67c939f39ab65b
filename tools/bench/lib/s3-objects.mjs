#!/usr/bin/env node
// Direct S3 access for the bench (the "direct S3 GET" reference), using the S3_* variables of .services/env:
//   s3-objects.mjs put <prefix> <dir>   upload every file under <dir> to <prefix>/<relative path>
//   s3-objects.mjs presign <key>        print a presigned GET URL (SigV4 query auth) valid for 1 hour
//   s3-objects.mjs delete <prefix>      delete every object under <prefix>
import { S3Client, PutObjectCommand, ListObjectsV2Command, DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const env = (k) => process.env[k] ?? (() => { throw new Error(`${k} is not set: source .services/env`); })();
const bucket = env('S3_BUCKET');
const endpoint = new URL(env('S3_ENDPOINT'));
const credentials = { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') };
const region = env('S3_REGION');
const s3 = new S3Client({
  endpoint: endpoint.href, region, credentials, forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
});

/** The hash interface @smithy/signature-v4 expects (an HMAC when constructed with a secret), on node:crypto. */
class Sha256 {
  constructor(secret) { this.h = secret ? createHmac('sha256', secret) : createHash('sha256'); }
  update(data) { this.h.update(data); }
  async digest() { return new Uint8Array(this.h.digest()); }
}

const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const full = path.join(dir, f);
  return statSync(full).isDirectory() ? walk(full) : [full];
});

async function put(prefix, dir) {
  const files = walk(dir);
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const Key = `${prefix}/${path.relative(dir, f)}`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: readFileSync(f), ContentType: 'application/octet-stream' }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  console.error(`[bench] uploaded ${files.length} objects under s3://${bucket}/${prefix}/`);
}

async function presign(key) {
  const signer = new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false });
  const encodedPath = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const signed = await signer.presign(
    { method: 'GET', protocol: endpoint.protocol, hostname: endpoint.hostname, port: Number(endpoint.port), path: encodedPath, headers: { host: endpoint.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, query: {} },
    { expiresIn: 3600 },
  );
  const qs = Object.entries(signed.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  console.log(`${endpoint.origin}${encodedPath}?${qs}`);
}

async function remove(prefix) {
  let token;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
    if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    token = page.NextContinuationToken;
  } while (token);
}

const [cmd, a, b] = process.argv.slice(2);
if (cmd === 'put' && a && b) await put(a, b);
else if (cmd === 'presign' && a) await presign(a);
else if (cmd === 'delete' && a) await remove(a);
else throw new Error('usage: s3-objects.mjs put <prefix> <dir> | presign <key> | delete <prefix>');

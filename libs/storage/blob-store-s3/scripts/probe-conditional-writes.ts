// Does the S3 server evaluate If-Match atomically? Simulates N proxy instances (separate clients, so the
// adapter's in-process queue cannot help) doing concurrent updateDocument calls on one document, and counts
// lost updates. AWS S3 and MinIO should report 0. Usage: npx tsx --tsconfig tsconfig.base.json libs/storage/blob-store-s3/scripts/probe-conditional-writes.ts [rounds=20] [instances=10]
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { silentLogger } from '@registry/shared-logger';
import { updateDocument } from '@registry/storage-blob-store';
import { createS3BlobStore } from '../src';
import { requireServicesEnv, servicesEnvFile } from '@registry/shared-testing';

const rounds = Number(process.argv[2] ?? 20);
const instances = Number(process.argv[3] ?? 10);

async function main(): Promise<void> {
  const prefix = `probe-cas-${randomUUID()}`;
  const stores = Array.from({ length: instances }, () => createS3BlobStore({ ...requireServicesEnv(servicesEnvFile(path.resolve(__dirname, '../../../..'))).s3, prefix, logger: silentLogger }));
  let lost = 0;
  for (let round = 0; round < rounds; round++) {
    const key = `doc-${round}.json`;
    await Promise.all(stores.map((store, i) => updateDocument<{ writers: number[] }>(store, key, (doc) => (doc?.writers.includes(i) ? undefined : { writers: [...(doc?.writers ?? []), i] }), { maxAttempts: 100 })));
    const doc = await stores[0]!.getDocument(key);
    const writers = (JSON.parse(doc!.body.toString()) as { writers: number[] }).writers;
    lost += instances - writers.length;
  }
  console.log(`${rounds} rounds x ${instances} instances: ${lost} of ${rounds * instances} updates lost`);
  process.exitCode = lost === 0 ? 0 : 1;
}

void main();

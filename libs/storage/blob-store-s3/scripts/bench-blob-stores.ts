// Throughput of the fs and S3 adapters for one large staged write (with sha256 verification) and one full read.
// Usage (services up): npx tsx --tsconfig tsconfig.base.json libs/storage/blob-store-s3/scripts/bench-blob-stores.ts [sizeMiB=50] [rounds=3]
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { silentLogger } from '@registry/shared-logger';
import type { BlobStore } from '@registry/storage-blob-store';
import { createFsBlobStore } from '@registry/storage-blob-store-fs';
import { createS3BlobStore } from '../src';
import { requireServicesEnv, servicesEnvFile } from '@registry/shared-testing';

const sizeMiB = Number(process.argv[2] ?? 50);
const rounds = Number(process.argv[3] ?? 3);
const size = sizeMiB * 1024 * 1024;

/** Incompressible-enough bytes in 64 KiB chunks, generated lazily (the benchmark must not hold the body). */
function* generatedChunks(total: number): Generator<Uint8Array> {
  const block = new Uint8Array(65_536).map((_, i) => (i * 2_654_435_761) >>> 24);
  for (let offset = 0; offset < total; offset += block.length) yield block.subarray(0, Math.min(block.length, total - offset));
}

async function measure(name: string, store: BlobStore): Promise<void> {
  const hash = createHash('sha256');
  for (const chunk of generatedChunks(size)) hash.update(chunk);
  const hex = hash.digest('hex');
  for (let round = 1; round <= rounds; round++) {
    const key = `bench/${randomUUID()}.bin`;
    const writeStart = performance.now();
    const pending = await store.begin(key, { expectedSize: size, expectedDigest: { algorithm: 'sha256', hex } });
    await pipeline(Readable.from(generatedChunks(size)), pending.body);
    const commitStart = performance.now();
    await pending.commit();
    const commitMs = performance.now() - commitStart;
    const writeMs = performance.now() - writeStart;
    const readStart = performance.now();
    const blob = await store.get(key);
    let read = 0;
    for await (const chunk of blob!.body) read += (chunk as Uint8Array).length;
    const readMs = performance.now() - readStart;
    if (read !== size) throw new Error(`read ${read} bytes, expected ${size}`);
    await store.delete(key);
    const mibs = (ms: number): string => (sizeMiB / (ms / 1000)).toFixed(0).padStart(5);
    console.log(`${name.padEnd(4)} round ${round}: write+commit ${writeMs.toFixed(0).padStart(6)} ms (${mibs(writeMs)} MiB/s, commit ${commitMs.toFixed(0)} ms)   read ${readMs.toFixed(0).padStart(6)} ms (${mibs(readMs)} MiB/s)`);
  }
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'bench-fs-'));
  try {
    await measure('fs', createFsBlobStore({ root }));
    await measure('s3', createS3BlobStore({ ...requireServicesEnv(servicesEnvFile(path.resolve(__dirname, '../../../..'))).s3, prefix: `bench-${randomUUID()}`, logger: silentLogger }));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

void main();

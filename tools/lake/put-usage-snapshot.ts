/**
 * Puts the lake's usage snapshot (the JSON `python -m registry_lake.usage` wrote) into the registry's own object
 * store, where both proxies' consoles read it (USAGE_SNAPSHOT_KEY). The store is opened by the proxies' own code
 * from the proxies' own storage variables (StorageEnv: STORAGE_DRIVER, DATA_DIR or S3_*, STORAGE_PREFIX), and the
 * document is written with the store's atomic `putDocument`: a console reads the old snapshot or the new one.
 * A file that is not a snapshot is refused before anything is written.
 *
 *   npx tsx --tsconfig tsconfig.base.json tools/lake/put-usage-snapshot.ts --file usage.json
 *
 * tools/lake/usage.sh runs both steps.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, requireS3Settings, StorageEnv } from '@registry/shared-config';
import { createLogger } from '@registry/shared-logger';
import type { BlobStore } from '@registry/storage-blob-store';
import { createBlobStore } from '@registry/storage-blob-store-from-config';
import { parseUsageSnapshot, USAGE_SNAPSHOT_KEY, type UsageSnapshot } from '@registry/web-console';

/** Validates the file's JSON as a snapshot and stores exactly those bytes. */
export async function putUsageSnapshot(store: BlobStore, json: Buffer): Promise<UsageSnapshot> {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    throw new Error('the file is not JSON');
  }
  const snapshot = parseUsageSnapshot(value);
  await store.putDocument(USAGE_SNAPSHOT_KEY, json, { contentType: 'application/json' });
  return snapshot;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { file: { type: 'string' } } });
  if (!values.file) throw new Error('usage: put-usage-snapshot.ts --file <snapshot.json>');
  const settings = loadConfig(StorageEnv.superRefine(requireS3Settings), process.env);
  const store = await createBlobStore(settings, createLogger({ name: 'put-usage-snapshot', level: 'warn' }));
  const snapshot = await putUsageSnapshot(store, await readFile(values.file));
  const where = settings.STORAGE_DRIVER === 's3' ? `s3 bucket ${settings.S3_BUCKET}` : `directory ${settings.DATA_DIR}`;
  process.stdout.write(`usage snapshot of ${snapshot.generated_at} stored at ${USAGE_SNAPSHOT_KEY} (${where}${settings.STORAGE_PREFIX ? `, prefix ${settings.STORAGE_PREFIX}` : ''})\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`put-usage-snapshot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

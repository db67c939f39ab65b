import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { loadConfig, requireS3Settings, StorageEnv } from '@registry/shared-config';
import { silentLogger } from '@registry/shared-logger';
import { readJsonDocument, type BlobStore } from '@registry/storage-blob-store';
import { createBlobStore } from '@registry/storage-blob-store-from-config';
import { USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { usageSnapshotOf } from '@registry/web-console/testing';
import { buildTestApp } from './harness';

const ROOT = path.resolve(__dirname, '../../../..');
const NOW = Date.parse('2026-03-10T12:00:00Z');
const run = promisify(execFile);

export const usageSnapshot = (downloads: number) => usageSnapshotOf('2026-03-10T06:00:00Z', [['npm', 'left-pad', '1.3.0', downloads, downloads, 0, 0]]);

/**
 * tools/lake/put-usage-snapshot.ts as tools/lake/usage.sh runs it (tsx, the proxies' storage variables `env`, and
 * only PATH and HOME of the spec's own environment `shell`), then the store those same variables open and npm-proxy
 * over it: what the writer stored, as the console reads it.
 */
export function usageWriterWorld(dir: string, env: Record<string, string>, shell: NodeJS.ProcessEnv) {
  const put = async (name: string, snapshot: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(snapshot));
    return run('npx', ['--no-install', 'tsx', '--tsconfig', 'tsconfig.base.json', 'tools/lake/put-usage-snapshot.ts', '--file', file], {
      cwd: ROOT, env: { PATH: shell['PATH'] ?? '/usr/bin:/bin', HOME: shell['HOME'] ?? dir, ...env }, timeout: 60_000,
    });
  };
  const store = (): Promise<BlobStore> => createBlobStore(loadConfig(StorageEnv.superRefine(requireS3Settings), env), silentLogger);
  const stored = async () => (await readJsonDocument(await store(), USAGE_SNAPSHOT_KEY))?.value;
  const usagePage = async () => {
    const app = await buildTestApp({ store: await store(), audit: new RecordingAuditClient(), env: { WEB_CONSOLE_USAGE_RECHECK_MS: '0' }, now: () => NOW });
    return (await request(app).get('/-/web/usage').expect(200)).text;
  };
  return {
    put,
    stored,
    /** Puts a snapshot of `downloads` and answers what the writer printed, what the store holds and whether the console shows it. */
    roundTrip: async (downloads: number) => {
      const { stdout } = await put('usage.json', usageSnapshot(downloads));
      const shown = (await usagePage()).includes(`<a href="/-/web/package/left-pad">left-pad</a></td><td>${downloads}</td>`);
      return { stdout, storedAsPut: JSON.stringify(await stored()) === JSON.stringify(usageSnapshot(downloads)), shown };
    },
  };
}

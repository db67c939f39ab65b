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
import { buildTestApp } from './harness';

const ROOT = path.resolve(__dirname, '../../../..');
const NOW = Date.parse('2026-03-10T12:00:00Z');
const run = promisify(execFile);

export const usageSnapshot = (downloads: number) => ({
  generated_at: '2026-03-10T06:00:00Z', window_days: 30, from: '2026-02-08T06:00:00Z', to: '2026-03-10T06:00:00Z',
  registries: [{ registry: 'npm', downloads, cache: downloads, upstream: 0, private: 0 }, { registry: 'pypi', downloads: 0, cache: 0, upstream: 0, private: 0 }],
  versions: [{ registry: 'npm', package: 'left-pad', version: '1.3.0', downloads, cache: downloads, upstream: 0, private: 0 }],
});

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
  return {
    put,
    stored: async () => (await readJsonDocument(await store(), USAGE_SNAPSHOT_KEY))?.value,
    usagePage: async () => {
      const app = await buildTestApp({ store: await store(), audit: new RecordingAuditClient(), env: { WEB_CONSOLE_USAGE_RECHECK_MS: '0' }, now: () => NOW });
      return (await request(app).get('/-/web/usage').expect(200)).text;
    },
  };
}

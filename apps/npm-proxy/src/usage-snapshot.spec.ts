import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { loadConfig, requireS3Settings, StorageEnv } from '@registry/shared-config';
import { silentLogger } from '@registry/shared-logger';
import { readJsonDocument } from '@registry/storage-blob-store';
import { createBlobStore } from '@registry/storage-blob-store-from-config';
import { USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { buildTestApp } from './testing/harness';

const ROOT = path.resolve(__dirname, '../../..');
const NOW = Date.parse('2026-03-10T12:00:00Z');
const run = promisify(execFile);

const snapshot = (downloads: number) => ({
  generated_at: '2026-03-10T06:00:00Z', window_days: 30, from: '2026-02-08T06:00:00Z', to: '2026-03-10T06:00:00Z',
  registries: [{ registry: 'npm', downloads, cache: downloads, upstream: 0, private: 0 }, { registry: 'pypi', downloads: 0, cache: 0, upstream: 0, private: 0 }],
  versions: [{ registry: 'npm', package: 'left-pad', version: '1.3.0', downloads, cache: downloads, upstream: 0, private: 0 }],
});

/**
 * tools/lake/put-usage-snapshot.ts as tools/lake/usage.sh runs it (tsx, the proxies' storage variables), then
 * npm-proxy over the store those same variables open: the console shows what the writer stored.
 */
describe('the usage snapshot writer (tools/lake/put-usage-snapshot.ts) and the console that reads it', () => {
  let dir: string;
  let env: Record<string, string>;
  const put = (file: string) => run('npx', ['--no-install', 'tsx', '--tsconfig', 'tsconfig.base.json', 'tools/lake/put-usage-snapshot.ts', '--file', file], {
    cwd: ROOT, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? dir, ...env }, timeout: 60_000,
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'usage-snapshot-'));
    env = { STORAGE_DRIVER: 'fs', DATA_DIR: path.join(dir, 'data'), STORAGE_PREFIX: 'registry' };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores the snapshot through the store\'s own code, where the proxy reads it, and refuses a file that is not one', async () => {
    const good = path.join(dir, 'usage.json');
    await writeFile(good, JSON.stringify(snapshot(7)));
    const { stdout } = await put(good);
    expect(stdout).toContain(`stored at ${USAGE_SNAPSHOT_KEY}`);

    const store = await createBlobStore(loadConfig(StorageEnv.superRefine(requireS3Settings), env), silentLogger);
    expect((await readJsonDocument(store, USAGE_SNAPSHOT_KEY))?.value).toEqual(snapshot(7));
    const app = await buildTestApp({ store, audit: new RecordingAuditClient(), env: { WEB_CONSOLE_USAGE_RECHECK_MS: '0' }, now: () => NOW });
    expect((await request(app).get('/-/web/usage').expect(200)).text).toContain('<a href="/-/web/package/left-pad">left-pad</a></td><td>7</td>');

    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...snapshot(9), versions: [{ package: 'left-pad' }] }));
    await expect(put(bad)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('not a usage snapshot: versions.0.registry') });
    expect((await readJsonDocument(store, USAGE_SNAPSHOT_KEY))?.value).toEqual(snapshot(7));
  });
});

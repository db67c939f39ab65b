import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAppProcess, type AppProcess } from '@registry/shared-testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { makeWheel, startFixtureUpstream, type FixtureUpstream } from '@registry/pypi-testing';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const ADMIN = { name: 'abuse-admin', password: 'abuse-admin-password-1' };

/** Both built proxies on one fs store (one identity store), each with a loopback fixture upstream. */
export interface Targets {
  npm: AppProcess;
  pypi: AppProcess;
  npmUpstream: FixtureRegistry;
  pypiUpstream: FixtureUpstream;
  dataDir: string;
  stop(): Promise<void>;
}

/** `env` is the children's environment besides the wiring here (PATH at least: specs pass the caller's). */
export async function startTargets(env: Record<string, string> & { PATH: string }): Promise<Targets> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'registry-abuse-'));
  const npmUpstream = await startFixtureRegistry();
  npmUpstream.setPackage('left-pad', { '1.0.0': { tarball: Buffer.from('not really a tarball') } });
  const pypiUpstream = await startFixtureUpstream();
  const wheel = makeWheel({ name: 'requests', version: '2.0.0' });
  pypiUpstream.setProject('requests', [{ filename: wheel.filename, bytes: wheel.bytes }]);
  const common = {
    STORAGE_DRIVER: 'fs', DATA_DIR: dataDir,
    REGISTRY_ADMIN_USER: ADMIN.name, REGISTRY_ADMIN_PASSWORD: ADMIN.password,
    HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_IDLE_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '10000', ...env,
  };
  const npm = await startAppProcess({
    root: REPO_ROOT, app: 'npm-proxy', ports: { NPM_PROXY_PORT: 0 }, timeoutMs: 30_000,
    env: { ...common, NPM_UPSTREAM_URL: npmUpstream.url, NPM_ALLOW_SIGNUP: 'true', NPM_PRIVATE_SCOPES: '@private' },
  });
  const pypi = await startAppProcess({
    root: REPO_ROOT, app: 'pypi-proxy', ports: { PYPI_PROXY_PORT: 0 }, timeoutMs: 30_000,
    env: { ...common, PYPI_UPSTREAM_URL: pypiUpstream.indexUrl, PYPI_UPSTREAM_FILES_URL: pypiUpstream.filesUrl },
  });
  return {
    npm, pypi, npmUpstream, pypiUpstream, dataDir,
    async stop() {
      await Promise.allSettled([npm.stop(), pypi.stop()]);
      await Promise.allSettled([npmUpstream.close(), pypiUpstream.stop()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every object in the fs store (relative paths), sorted: compared before and after a refused request. */
export async function storeListing(dataDir: string): Promise<string[]> {
  const entries = await readdir(dataDir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && !e.name.includes('.tmp')).map((e) => path.relative(dataDir, path.join(e.parentPath, e.name))).sort();
}

export interface RawRequest {
  method: string;
  /** Sent byte for byte: no normalization of `..`, encodings or doubled slashes. */
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: Buffer;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over a fresh connection; a transport failure rejects (the caller counts it). */
export function send(baseUrl: string, req: RawRequest, timeoutMs = 15_000): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers: { connection: 'close', ...req.headers }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error('client timeout')));
    r.on('error', reject);
    r.end(req.body);
  });
}

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Signs up through npm's couch login and returns the token it answers with. */
export async function npmUserToken(npm: AppProcess, name: string, password: string): Promise<string> {
  const res = await send(npm.url, {
    method: 'PUT', path: `/-/user/org.couchdb.user:${name}`, headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, email: `${name}@example.com`, type: 'user', roles: [] })),
  });
  const token = (JSON.parse(res.body) as { token?: string }).token;
  if (res.status !== 201 || !token) throw new Error(`sign-up of ${name} failed: ${res.status} ${res.body}`);
  return token;
}

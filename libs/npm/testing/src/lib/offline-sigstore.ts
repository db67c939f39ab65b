import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `npm audit signatures` refreshes Sigstore's TUF repository before it looks at any registry key, from a mirror
 * URL compiled into npm (protocols §14), and fails when that host cannot be reached. This stands in for it on
 * loopback, so the real npm CLI runs offline: an HTTPS server with a certificate for the mirror's host name
 * (trusted through NODE_EXTRA_CA_CERTS), reached through a CONNECT proxy (HTTPS_PROXY), serving a TUF repository
 * signed by a root of our own that `seedTufCache` puts into npm's TUF cache. The repository has no targets, so
 * npm finds no registry keys in TUF and falls back to the registry's `/-/npm/v1/keys`, which is what we test.
 */
export interface OfflineSigstore {
  /** Environment for the npm process: HTTPS_PROXY, NO_PROXY (loopback goes direct), NODE_EXTRA_CA_CERTS. */
  env: Record<string, string>;
  /** Writes our TUF root into `<npm cache>/_tuf/<mirror>/root.json`, where npm's TUF client starts from. */
  seedTufCache(npmCacheDir: string): Promise<void>;
  /** Paths the mirror was asked for (proof that npm went through it). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** The mirror URL npm's bundled Sigstore TUF client uses, read from npm itself (no host name is written here). */
function npmTufMirrorUrl(): string {
  const dir = path.join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'node_modules', '@sigstore', 'tuf');
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`npm's bundled @sigstore/tuf is missing (looked in ${dir}); this test needs the npm that comes with Node`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(dir) as { DEFAULT_MIRROR_URL: string }).DEFAULT_MIRROR_URL;
}

export async function startOfflineSigstore(): Promise<OfflineSigstore> {
  const mirror = new URL(npmTufMirrorUrl());
  const dir = await mkdtemp(path.join(tmpdir(), 'offline-sigstore-'));
  const { cert, key } = await selfSignedCertificate(dir, mirror.hostname);
  const repository = tufRepository();
  const requests: string[] = [];

  const mirrorServer = createHttpsServer({ cert, key }, (req, res) => {
    requests.push(req.url ?? '');
    const body = repository.files.get(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body);
  });
  await listen(mirrorServer);
  const mirrorPort = (mirrorServer.address() as AddressInfo).port;

  // Tunnels only to the mirror's host; anything else is refused, so nothing can leave the machine through it.
  const proxy = createHttpServer((_req, res) => void res.writeHead(405).end());
  const tunnels = new Set<Socket>();
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    if (req.url !== `${mirror.hostname}:443`) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = connect(mirrorPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => tunnels.delete(socket));
    }
  });
  await listen(proxy);
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const caPath = path.join(dir, 'mirror-cert.pem');
  await writeFile(caPath, cert);

  return {
    env: { HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', NODE_EXTRA_CA_CERTS: caPath },
    requests,
    async seedTufCache(npmCacheDir) {
      // The TUF client's cache directory for a mirror: its host and path, URI-encoded (npm's `_tuf` cache).
      const repoDir = path.join(npmCacheDir, '_tuf', encodeURIComponent(mirror.host + mirror.pathname.replace(/\/$/, '')));
      await mkdir(path.join(repoDir, 'targets'), { recursive: true });
      await writeFile(path.join(repoDir, 'root.json'), repository.root);
    },
    async close() {
      for (const socket of tunnels) socket.destroy();
      await Promise.all([close(proxy), close(mirrorServer)]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A certificate for `host`, self-signed (its own trust anchor in NODE_EXTRA_CA_CERTS), made with the openssl CLI. */
async function selfSignedCertificate(dir: string, host: string): Promise<{ cert: string; key: string }> {
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${host}`,
      '-addext', `subjectAltName=DNS:${host}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-keyout', keyPath, '-out', certPath,
    ], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`the openssl CLI is needed to make a test certificate: ${(err as Error).message}`);
  }
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
}

/** A one-key TUF repository (root, timestamp, snapshot, targets; no targets), each document signed with ed25519. */
function tufRepository(): { root: Buffer; files: Map<string, Buffer> } {
  const { privateKey }: { privateKey: KeyObject } = generateKeyPairSync('ed25519');
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
  const key = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } };
  const keyid = createHash('sha256').update(canonical(key)).digest('hex');
  const expires = new Date(Date.now() + 24 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const common = { spec_version: '1.0.31', version: 1, expires };
  const role = { keyids: [keyid], threshold: 1 };
  const signed = (document: Record<string, unknown>) =>
    Buffer.from(JSON.stringify({ signed: document, signatures: [{ keyid, sig: sign(null, Buffer.from(canonical(document)), privateKey).toString('hex') }] }));
  const root = signed({ _type: 'root', ...common, consistent_snapshot: false, keys: { [keyid]: key }, roles: { root: role, timestamp: role, snapshot: role, targets: role } });
  return {
    root,
    files: new Map([
      ['/timestamp.json', signed({ _type: 'timestamp', ...common, meta: { 'snapshot.json': { version: 1 } } })],
      ['/snapshot.json', signed({ _type: 'snapshot', ...common, meta: { 'targets.json': { version: 1 } } })],
      ['/targets.json', signed({ _type: 'targets', ...common, targets: {} })],
    ]),
  };
}

/** TUF's canonical JSON for documents of plain ASCII strings and integers: sorted keys, no whitespace. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

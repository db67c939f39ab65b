import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '@registry/shared-testing';
import type { Packument, VersionManifest } from './packument';
import { mergeKeysDocuments, type RegistryKeyEntry } from './registry-keys';
import { generateSigningKeyPem, keysDocumentEntry, loadSigningKey, signVersion } from './registry-signatures';

/**
 * The real verifier: npm's bundled pacote, the module `npm audit signatures` calls, fetches a packument from
 * a loopback registry and checks `dist.signatures` against the keys we would serve at `/-/npm/v1/keys`.
 */
function npmPacoteDir(): string {
  const dir = path.join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'node_modules', 'pacote');
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`npm's bundled pacote is missing (looked in ${dir}); this test needs the npm that comes with Node`);
  return dir;
}

const PACOTE = npmPacoteDir();
const SCRIPT = path.join(__dirname, '../__fixtures__/verify-with-pacote.cjs');
const run = promisify(execFile);

const upstreamKey = loadSigningKey(generateSigningKeyPem());
const ourKey = loadSigningKey(generateSigningKeyPem());
const INTEGRITY = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;

const version = (name: string, v: string): VersionManifest => ({ name, version: v, dist: { tarball: `http://127.0.0.1/${name}/-/x-${v}.tgz`, integrity: INTEGRITY } });
const packument = (name: string, versions: VersionManifest[]): Packument => ({
  _id: name,
  name,
  'dist-tags': { latest: versions[versions.length - 1]!.version },
  versions: Object.fromEntries(versions.map((m) => [m.version, m])),
  time: Object.fromEntries(versions.map((m) => [m.version, '2026-01-01T00:00:00.000Z'])),
});

describe('npm verifies the signatures we make', () => {
  const documents = new Map<string, Packument>();
  let server: Server;
  let registry: string;
  let cache: { dir: string; remove(): Promise<void> };

  beforeAll(async () => {
    cache = await makeTempDir('pacote-cache-');
    server = createServer((req, res) => {
      const doc = documents.get(decodeURIComponent((req.url ?? '').slice(1)));
      if (doc === undefined) return void res.writeHead(404).end('{}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await cache.remove();
  });

  async function npmVerify(spec: string, keys: RegistryKeyEntry[]): Promise<{ ok: boolean; code?: string; signatures?: unknown }> {
    const { stdout } = await run(process.execPath, [SCRIPT, PACOTE, spec, registry, JSON.stringify(keys), cache.dir], { timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { ok: boolean; code?: string };
  }

  it('accepts a private version signed with our key, listed in the keys document', async () => {
    const signed = signVersion(version('@acme/private', '1.0.0'), [ourKey]);
    documents.set('@acme/private', packument('@acme/private', [signed]));
    const result = await npmVerify('@acme/private@1.0.0', [keysDocumentEntry(ourKey)]);
    expect(result).toEqual({ ok: true, signatures: signed.dist['signatures'] });
  });

  it('accepts upstream and private packages side by side when the keys documents are merged', async () => {
    documents.set('upstream-pkg', packument('upstream-pkg', [signVersion(version('upstream-pkg', '2.0.0'), [upstreamKey])]));
    documents.set('@acme/mixed', packument('@acme/mixed', [signVersion(version('@acme/mixed', '1.0.0'), [ourKey])]));
    const merged = mergeKeysDocuments([keysDocumentEntry(upstreamKey)], [keysDocumentEntry(ourKey)]).keys;
    expect(await npmVerify('upstream-pkg@2.0.0', merged)).toMatchObject({ ok: true });
    expect(await npmVerify('@acme/mixed@1.0.0', merged)).toMatchObject({ ok: true });
    // Without the upstream's keys, its signatures cannot be checked: npm fails them.
    expect(await npmVerify('upstream-pkg@2.0.0', [keysDocumentEntry(ourKey)])).toMatchObject({ ok: false, code: 'EMISSINGSIGNATUREKEY' });
  });

  it('fails a tampered signature, and a signature over another integrity', async () => {
    const signed = signVersion(version('tampered', '1.0.0'), [ourKey]);
    const [signature] = signed.dist['signatures'] as Array<{ keyid: string; sig: string }>;
    const bytes = Buffer.from(signature!.sig, 'base64');
    bytes[bytes.length - 1]! ^= 0x01;
    const tampered = { ...signed, dist: { ...signed.dist, signatures: [{ keyid: signature!.keyid, sig: bytes.toString('base64') }] } };
    documents.set('tampered', packument('tampered', [tampered]));
    expect(await npmVerify('tampered@1.0.0', [keysDocumentEntry(ourKey)])).toMatchObject({ ok: false, code: 'EINTEGRITYSIGNATURE' });

    // A valid signature of the original bytes, served with another tarball's integrity.
    const original = signVersion(version('swapped', '1.0.0'), [ourKey]);
    const otherIntegrity = `sha512-${Buffer.alloc(64, 8).toString('base64')}`;
    documents.set('swapped', packument('swapped', [{ ...original, dist: { ...original.dist, integrity: otherIntegrity } }]));
    expect(await npmVerify('swapped@1.0.0', [keysDocumentEntry(ourKey)])).toMatchObject({ ok: false, code: 'EINTEGRITYSIGNATURE' });
  });

  it('fails a version published after our key expired', async () => {
    const expiring = loadSigningKey(generateSigningKeyPem(), '2025-06-01T00:00:00.000Z');
    documents.set('late', packument('late', [signVersion(version('late', '1.0.0'), [expiring])]));
    expect(await npmVerify('late@1.0.0', [keysDocumentEntry(expiring)])).toMatchObject({ ok: false, code: 'EEXPIREDSIGNATUREKEY' });
  });
});

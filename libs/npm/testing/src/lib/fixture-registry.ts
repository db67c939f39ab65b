import { createHash, generateKeyPairSync, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One version served by the fixture: real tarball bytes plus manifest fields (dependencies, bin, ...). */
export interface FixtureVersion {
  tarball: Buffer;
  manifest?: Record<string, unknown>;
  /** An attestations document (protocols §15): linked from `dist.attestations` and served as these bytes. */
  attestations?: Buffer;
  /** The version's `time` entry (ISO-8601); default: when setPackage ran. */
  publishedAt?: string;
}

export interface FixtureRegistryOptions {
  /**
   * Sign every version with a key of the fixture's own (ECDSA P-256 over `name@version:integrity`, as the public
   * registry does, protocols §14) and serve it at `/-/npm/v1/keys`; without, the keys document is a 404.
   */
  signing?: boolean;
}

export interface FixtureRegistry {
  url: string;
  port: number;
  /** Every request path the fixture answered, in order: the "zero upstream requests on a warm run" counter. */
  readonly requests: string[];
  setPackage(name: string, versions: Record<string, FixtureVersion>, distTags?: Record<string, string>): void;
  removeVersion(name: string, version: string): void;
  /** The package's document changes (a new `modified` time): revalidations get a 200 with a body, not a 304. */
  touch(name: string): void;
  /** Serve different bytes for this tarball while the packument keeps the original integrity. */
  corruptTarball(name: string, version: string): void;
  /** Point this version's dist.tarball at another origin (SSRF probe). */
  setTarballUrl(name: string, version: string, url: string): void;
  /** Serve this version with a signature that does not verify (one bit flipped). */
  tamperSignature(name: string, version: string): void;
  /** The audit bodies received (bulk and legacy), decoded: what the upstream learned from `npm audit`. */
  readonly auditRequests: unknown[];
  /** When set, the legacy audit endpoints answer 405 with `Allow: GET` (an upstream that dropped them). */
  refuseLegacyAudits: boolean;
  /** Advisories the bulk endpoint answers for a package. */
  setAdvisories(name: string, advisories: Array<Record<string, unknown>>): void;
  /** The keys document served (undefined without `signing`). */
  readonly keys: { keys: Array<Record<string, unknown>> } | undefined;
  /** Answer every request with 503 (upstream down) until set back. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

interface PackageEntry {
  versions: Map<string, FixtureVersion & { corrupt?: boolean; tarballUrl?: string; tamperedSignature?: boolean; time: string }>;
  distTags: Record<string, string>;
  changedAt: number;
}

/** A plain view: @types/node 20's Buffer does not satisfy TS 5.9's generic Uint8Array. */
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
const scopeless = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/**
 * A small npm registry on 127.0.0.1 for tests: packuments with ETags and 304s, tarballs at the conventional
 * path, `/-/v1/search` and the bulk advisory endpoint. It plays the upstream; nothing here reaches the Internet.
 */
export async function startFixtureRegistry(opts: FixtureRegistryOptions = {}): Promise<FixtureRegistry> {
  const packages = new Map<string, PackageEntry>();
  const requests: string[] = [];
  const auditRequests: unknown[] = [];
  let refuseLegacyAudits = false;
  const advisories = new Map<string, Array<Record<string, unknown>>>();
  const signer = opts.signing ? fixtureSigner() : undefined;
  let down = false;
  let base = '';

  const packument = (name: string, entry: PackageEntry) => {
    const versions: Record<string, unknown> = {};
    const time: Record<string, string> = { created: new Date(0).toISOString(), modified: new Date(entry.changedAt).toISOString() };
    for (const [v, fv] of entry.versions) {
      const integrity = `sha512-${createHash('sha512').update(u8(fv.tarball)).digest('base64')}`;
      versions[v] = {
        name, version: v, ...(fv.manifest ?? {}),
        dist: {
          tarball: fv.tarballUrl ?? `${base}/${name}/-/${scopeless(name)}-${v}.tgz`,
          shasum: createHash('sha1').update(u8(fv.tarball)).digest('hex'),
          integrity,
          ...(signer ? { signatures: [signer.sign(`${name}@${v}:${integrity}`, fv.tamperedSignature === true)] } : {}),
          ...(fv.attestations ? { attestations: { url: `${base}/-/npm/v1/attestations/${name}@${v}`, provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } } : {}),
        },
      };
      time[v] = fv.time;
    }
    return { _id: name, name, 'dist-tags': entry.distTags, versions, time, maintainers: [{ name: 'upstream', email: 'u@example.test' }] };
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] as string);
    requests.push(`${req.method} ${path}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json', 'content-length': String(bytes.length), ...headers });
      res.end(bytes);
    };
    if (down) return send(503, { error: 'fixture is down' });
    if (path === '/-/v1/search') {
      const text = new URL(req.url ?? '/', 'http://x').searchParams.get('text') ?? '';
      const objects = [...packages.keys()].filter((n) => n.includes(text)).map((n) => ({
        package: { name: n, version: packages.get(n)?.distTags['latest'], description: 'upstream', date: new Date(0).toISOString(), keywords: [], links: {}, maintainers: [] },
        score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 1 } }, searchScore: 1,
      }));
      return send(200, { objects, total: objects.length, time: new Date().toUTCString() });
    }
    if (req.method === 'POST' && path.startsWith('/-/npm/v1/security/')) return void readBody(req).then((raw) => {
      const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(u8(raw)) : raw).toString('utf8')) as Record<string, unknown>;
      auditRequests.push(body);
      if (!path.endsWith('/bulk') && refuseLegacyAudits) return send(405, { error: 'method not allowed' }, { allow: 'GET' });
      if (!path.endsWith('/bulk')) return send(200, { actions: [], advisories: {}, muted: [], metadata: { vulnerabilities: {}, dependencies: 0 } });
      return send(200, Object.fromEntries(Object.keys(body).flatMap((name) => (advisories.has(name) ? [[name, advisories.get(name)]] : []))));
    });
    if (path === '/-/npm/v1/keys') return signer ? send(200, signer.keys) : send(404, { error: 'no keys' });
    const attested = /^\/-\/npm\/v1\/attestations\/(.+)@([^@/]+)$/.exec(path);
    if (attested) {
      const document = packages.get(attested[1] as string)?.versions.get(attested[2] as string)?.attestations;
      return document ? send(200, document, { 'content-type': 'application/json' }) : send(404, { error: 'no attestations' });
    }
    const tarball = /^\/(.+)\/-\/([^/]+)\.tgz$/.exec(path);
    if (tarball) {
      const entry = packages.get(tarball[1] as string);
      const version = [...(entry?.versions.entries() ?? [])].find(([v]) => `${scopeless(tarball[1] as string)}-${v}` === tarball[2]);
      if (!version) return send(404, { error: 'not found' });
      const bytes = version[1].corrupt ? Buffer.concat([u8(version[1].tarball), u8(Buffer.from('corrupt'))]) : version[1].tarball;
      return send(200, bytes);
    }
    const name = path.slice(1);
    const entry = packages.get(name);
    if (!entry) return send(404, { error: 'Not found' });
    const body = Buffer.from(JSON.stringify(packument(name, entry)));
    const etag = `"${createHash('sha1').update(u8(body)).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json', etag, 'content-length': String(body.length) });
    res.end(body);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  const entryOf = (name: string): PackageEntry => {
    const entry = packages.get(name);
    if (!entry) throw new Error(`fixture has no package ${name}`);
    return entry;
  };
  const touch = (entry: PackageEntry) => (entry.changedAt = Math.max(Date.now(), entry.changedAt + 1));
  return {
    url: base,
    port,
    requests,
    auditRequests,
    get refuseLegacyAudits() {
      return refuseLegacyAudits;
    },
    set refuseLegacyAudits(value: boolean) {
      refuseLegacyAudits = value;
    },
    keys: signer?.keys,
    setPackage(name, versions, distTags) {
      const vs = Object.keys(versions);
      const entry: PackageEntry = { versions: new Map(), distTags: distTags ?? { latest: vs[vs.length - 1] as string }, changedAt: Date.now() };
      for (const [v, fv] of Object.entries(versions)) entry.versions.set(v, { ...fv, time: fv.publishedAt ?? new Date().toISOString() });
      packages.set(name, entry);
    },
    touch(name) {
      touch(entryOf(name));
    },
    removeVersion(name, version) {
      const entry = entryOf(name);
      entry.versions.delete(version);
      touch(entry);
    },
    corruptTarball(name, version) {
      const v = entryOf(name).versions.get(version);
      if (v) v.corrupt = true;
    },
    setTarballUrl(name, version, url) {
      const entry = entryOf(name);
      const v = entry.versions.get(version);
      if (v) v.tarballUrl = url;
      touch(entry);
    },
    tamperSignature(name, version) {
      const entry = entryOf(name);
      const v = entry.versions.get(version);
      if (v) v.tamperedSignature = true;
      touch(entry);
    },
    setAdvisories(name, list) {
      advisories.set(name, list);
    },
    setDown(value) {
      down = value;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The fixture's own registry key: its keys document and signatures made with node:crypto alone. */
function fixtureSigner(): { keys: { keys: Array<Record<string, unknown>> }; sign(message: string, tamper: boolean): { keyid: string; sig: string } } {
  const { privateKey }: { privateKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const keyid = `SHA256:fixture-${randomBytes(8).toString('hex')}`;
  return {
    keys: { keys: [{ expires: null, keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: spki.toString('base64') }] },
    sign(message, tamper) {
      const sig = sign('sha256', u8(Buffer.from(message)), privateKey);
      if (tamper) sig[sig.length - 1]! ^= 0x01;
      return { keyid, sig: sig.toString('base64') };
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Buffer.concat(chunks.map(u8))));
    req.once('error', reject);
  });
}

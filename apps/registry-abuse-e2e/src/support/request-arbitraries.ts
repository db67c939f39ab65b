import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { RawRequest } from './targets';

/** Credentials a generated request may carry; filled in once the targets run. */
export interface Credentials {
  npmToken: string;
  basicUser: string;
  basicToken: string;
}

const NASTY_NAMES = [
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'left-pad', 'requests', '@private/pkg',
  '@private/__proto__', '..', '.', '../..', '..%2f..%2fetc%2fpasswd', '%2e%2e', '%252e%252e', 'node_modules', 'favicon.ico',
  'a'.repeat(300), '%00', '%ff', '%c0%af', 'CON', '@', '@scope', '-', '_', 'x%2Fy', 'UPPER', 'ünï',
];
const NASTY_VERSIONS = ['1.0.0', '99.0.0', 'latest', '__proto__', 'constructor', '1.0.0-rc.1+build', '', '..', '0.0.0-%00', 'v1', '1'.repeat(200)];
const NASTY_FILES = ['left-pad-1.0.0.tgz', '__proto__', 'constructor.tgz', '../../x.tgz', 'requests-2.0.0-py3-none-any.whl', 'x.tar.gz', '.metadata', 'a.whl.metadata', '%2e%2e%2fx'];

/** A path segment: sometimes raw (traversal, odd encodings travel as written), else percent-encoded. */
const segment = (values: string[]) => fc.oneof(
  fc.constantFrom(...values),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
).chain((s) => fc.constantFrom('raw', 'encoded', 'double').map((how) => encodeSegment(s, how)));

function encodeSegment(s: string, how: string): string {
  if (how === 'raw' && /^[\x21-\x7e]*$/.test(s) && !/[?#]/.test(s)) return s;
  const once = encodeURIComponent(s);
  return how === 'double' ? encodeURIComponent(once) : once;
}

const name = segment(NASTY_NAMES);
const version = segment(NASTY_VERSIONS);
const file = segment(NASTY_FILES);
const query = fc.option(fc.dictionary(fc.constantFrom('text', 'size', 'from', 'write', 'api_key', 'auth', 'token', '__proto__', 'format'), fc.string({ maxLength: 16 }), { maxKeys: 3 }), { nil: undefined })
  .map((q) => (q === undefined ? '' : `?${new URLSearchParams(q as Record<string, string>).toString()}`));

/** JSON with keys npm documents use and keys that name Object.prototype members, at every depth. */
const protoKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty', 'versions', 'dist-tags', '_attachments', 'name', 'version', 'dist', 'time', 'maintainers', 'latest');
const jsonBody = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('object'), fc.constantFrom(null, 'latest', '1.0.0', 0, true)),
  object: fc.dictionary(fc.oneof(protoKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
})).value.map((v) => JSON.stringify(v));

const formField = fc.tuple(
  fc.oneof(protoKey, fc.constantFrom(':action', 'name', 'version', 'filetype', 'pyversion', 'protocol_version', 'sha256_digest', 'metadata_version', 'summary'), fc.string({ maxLength: 12 })),
  fc.oneof(fc.constantFrom('file_upload', '1', 'bdist_wheel', 'sdist', 'requests', '2.0.0', ''), fc.string({ maxLength: 40 })),
);
const multipart = fc.record({
  fields: fc.array(formField, { maxLength: 12 }),
  file: fc.option(fc.tuple(fc.constantFrom('content', 'gpg_signature', '__proto__'), fc.oneof(fc.constantFrom(...NASTY_FILES), fc.string({ maxLength: 20 })), fc.uint8Array({ maxLength: 512 })), { nil: undefined }),
  broken: fc.boolean(),
}).map(({ fields, file: f, broken }) => {
  const b = 'fuzzboundary';
  const parts = fields.map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '')}"\r\n\r\n${v}\r\n`);
  const head = Buffer.from(parts.join(''));
  const filePart = f ? Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${f[0]}"; filename="${f[1].replace(/["\r\n]/g, '')}"\r\n\r\n`), Buffer.from(f[2]), Buffer.from('\r\n')]) : Buffer.alloc(0);
  return { body: Buffer.concat([head, filePart, Buffer.from(broken ? `--${b}` : `--${b}--\r\n`)]), type: `multipart/form-data; boundary=${b}` };
});

type BodyKind = 'none' | 'json' | 'form' | 'bytes';
const body = (kind: BodyKind) => {
  if (kind === 'json') return jsonBody.map((s) => ({ body: Buffer.from(s), type: 'application/json' }));
  if (kind === 'form') return fc.oneof(multipart, jsonBody.map((s) => ({ body: Buffer.from(s), type: 'application/json' })));
  if (kind === 'bytes') return fc.uint8Array({ maxLength: 256 }).map((u) => ({ body: Buffer.from(u), type: 'application/octet-stream' }));
  return fc.constant(undefined);
};

const headers = (creds: Credentials, npm: boolean) => fc.record({
  authorization: fc.constantFrom(
    undefined, `Bearer ${creds.npmToken}`, 'Bearer npm_forged', `Basic ${Buffer.from(`${creds.basicUser}:wrong`).toString('base64')}`,
    creds.basicToken, 'Basic !!!', 'Basic ' + Buffer.from('__proto__:constructor').toString('base64'), 'Digest x', '',
  ),
  accept: fc.constantFrom(undefined, 'application/json', 'application/vnd.npm.install-v1+json', 'application/vnd.pypi.simple.v1+json', 'text/html', '*/*', 'x/y;q=__proto__'),
  'accept-encoding': fc.constantFrom(undefined, 'gzip', 'br', 'identity;q=0', '*;q=0'),
  'x-forwarded-for': fc.constantFrom(undefined, '10.0.0.1', '1.2.3.4, 127.0.0.1', 'garbage', '::1'),
  'x-forwarded-host': fc.constantFrom(undefined, 'evil.example', 'a:b:c', ''),
  range: fc.constantFrom(undefined, 'bytes=0-10', 'bytes=5-1', 'bytes=-0', 'bytes=0-0,1-1,2-2', 'items=1-2'),
  'if-none-match': fc.constantFrom(undefined, '*', '"x"', 'W/"__proto__"'),
  'content-encoding': fc.constantFrom(undefined, undefined, undefined, 'gzip', 'deflate', 'br', 'x-unknown'),
  npm: fc.constant(npm),
});

interface RouteShape { method: string; path: fc.Arbitrary<string>; body: BodyKind }

const npmRoutes: RouteShape[] = [
  { method: 'GET', path: fc.tuple(name, query).map(([n, q]) => `/${n}${q}`), body: 'none' },
  { method: 'GET', path: fc.tuple(name, version).map(([n, v]) => `/${n}/${v}`), body: 'none' },
  { method: 'GET', path: fc.tuple(name, file).map(([n, f]) => `/${n}/-/${f}`), body: 'none' },
  { method: 'HEAD', path: fc.tuple(name, file).map(([n, f]) => `/${n}/-/${f}`), body: 'none' },
  { method: 'GET', path: query.map((q) => `/-/v1/search${q}`), body: 'none' },
  { method: 'GET', path: fc.constantFrom('/-/ping', '/-/whoami', '/-/npm/v1/keys', '/-/npm/v1/tokens', '/-/package/left-pad/dist-tags'), body: 'none' },
  { method: 'GET', path: name.map((n) => `/-/user/org.couchdb.user:${n}`), body: 'none' },
  { method: 'PUT', path: name.map((n) => `/-/user/org.couchdb.user:${n}`), body: 'json' },
  { method: 'POST', path: fc.constantFrom('/-/npm/v1/tokens', '/-/v1/login', '/-/npm/v1/security/audits/quick', '/-/npm/v1/security/advisories/bulk', '/-/npm/v1/security/audits'), body: 'json' },
  { method: 'DELETE', path: name.map((n) => `/-/npm/v1/tokens/token/${n}`), body: 'none' },
  { method: 'DELETE', path: name.map((n) => `/-/user/token/${n}`), body: 'none' },
  { method: 'PUT', path: fc.tuple(name, version).map(([n, t]) => `/-/package/${n}/dist-tags/${t}`), body: 'json' },
  { method: 'DELETE', path: fc.tuple(name, version).map(([n, t]) => `/-/package/${n}/dist-tags/${t}`), body: 'none' },
  { method: 'GET', path: fc.tuple(name, version).map(([n, v]) => `/-/npm/v1/attestations/${n}@${v}`), body: 'none' },
  { method: 'PUT', path: name.map((n) => `/${n}`), body: 'json' },
  { method: 'PUT', path: fc.tuple(name, version).map(([n, r]) => `/${n}/-rev/${r}`), body: 'json' },
  { method: 'DELETE', path: fc.tuple(name, version).map(([n, r]) => `/${n}/-rev/${r}`), body: 'none' },
  { method: 'DELETE', path: fc.tuple(name, file, version).map(([n, f, r]) => `/${n}/-/${f}/-rev/${r}`), body: 'none' },
  { method: 'PATCH', path: name.map((n) => `/${n}`), body: 'bytes' },
];

const pypiRoutes: RouteShape[] = [
  { method: 'GET', path: query.map((q) => `/simple/${q}`), body: 'none' },
  { method: 'GET', path: name.map((n) => `/simple/${n}/`), body: 'none' },
  { method: 'GET', path: name.map((n) => `/simple/${n}`), body: 'none' },
  { method: 'GET', path: fc.tuple(name, file).map(([n, f]) => `/files/${n}/${f}`), body: 'none' },
  { method: 'HEAD', path: fc.tuple(name, file).map(([n, f]) => `/files/${n}/${f}`), body: 'none' },
  { method: 'GET', path: fc.tuple(name, version, file).map(([n, v, f]) => `/integrity/${n}/${v}/${f}/provenance`), body: 'none' },
  { method: 'POST', path: fc.constantFrom('/legacy/', '/legacy', '/legacy/?x=__proto__'), body: 'form' },
  { method: 'POST', path: fc.constant('/-/api/pypi/tokens'), body: 'json' },
  { method: 'PUT', path: name.map((n) => `/-/api/pypi/${n}/status`), body: 'json' },
  { method: 'POST', path: fc.tuple(name, file, fc.constantFrom('yank', 'unyank', '__proto__', 'constructor')).map(([n, f, o]) => `/-/api/pypi/${n}/${f}/${o}`), body: 'json' },
  { method: 'DELETE', path: fc.tuple(name, file).map(([n, f]) => `/-/api/pypi/${n}/${f}`), body: 'none' },
  { method: 'PUT', path: name.map((n) => `/simple/${n}/`), body: 'bytes' },
];

/** A generated request for one of the two registries, every route of it, with hostile names, headers and bodies. */
export function requestArbitrary(creds: Credentials, target: 'npm' | 'pypi'): fc.Arbitrary<RawRequest> {
  const routes = target === 'npm' ? npmRoutes : pypiRoutes;
  return fc.constantFrom(...routes).chain((route) => fc.tuple(route.path, body(route.body), headers(creds, target === 'npm')).map(([path, b, h]) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (typeof v === 'string' && v !== '' && k !== 'npm') out[k] = v;
    let bytes = b?.body;
    if (bytes && out['content-encoding'] === 'gzip' && bytes.length % 2 === 0) bytes = gzipSync(bytes); // half the gzip claims are true
    if (!bytes) delete out['content-encoding'];
    if (b) out['content-type'] = b.type;
    return { method: route.method, path, headers: out, ...(bytes ? { body: bytes } : {}) };
  }));
}

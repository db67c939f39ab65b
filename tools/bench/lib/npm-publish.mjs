#!/usr/bin/env node
// Publishes npm packages through the registry's real publish API (PUT /<name>, one version per request with
// its tarball as a base64 attachment, as `npm publish` sends it; protocols.md §4.2). Versions of one package
// go in order; up to --concurrency packages in parallel. Basic auth (user:password).
// Packages are the <packages dir>/<name>/package.json documents written by gen-npm.mjs (tarballs beside them).
// Usage: npm-publish.mjs <packages dir> <registry url> <user> <password> [--concurrency n] [--only a,b] [--first n]
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runPool } from './pool.mjs';

const { positionals, values } = parseArgs({ allowPositionals: true, options: {
  concurrency: { type: 'string', default: '8' }, only: { type: 'string' }, first: { type: 'string' },
} });
const [dir, registry, user, password] = positionals;
if (!dir || !registry || !user || !password) throw new Error('usage: npm-publish.mjs <packages dir> <registry> <user> <password> [--concurrency n] [--only a,b] [--first n]');
// One login, then a bearer token: a password check per request (a deliberately slow hash) would dominate.
const login = await fetch(`${registry}/-/user/org.couchdb.user:${encodeURIComponent(user)}`, {
  method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: user, password }),
});
const { token } = login.ok ? await login.json() : {};
const auth = token ? `Bearer ${token}` : `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function publishVersion(name, manifest, tgz) {
  const file = `${name}-${manifest.version}.tgz`;
  const body = {
    _id: name, name, description: manifest.description, 'dist-tags': { latest: manifest.version },
    versions: { [manifest.version]: { ...manifest, dist: { ...manifest.dist, tarball: `${registry}/${name}/-/${file}` } } },
    readme: `# ${name}\n`,
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length } },
  };
  const res = await fetch(`${registry}/${encodeURIComponent(name)}`, {
    method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: auth },
  });
  if (!res.ok) throw new Error(`publish ${name}@${manifest.version}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
}

async function publishPackage(name) {
  const pkgDir = path.join(dir, name);
  const packument = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  for (const manifest of Object.values(packument.versions)) {
    await publishVersion(name, manifest, readFileSync(path.join(pkgDir, path.basename(manifest.dist.tarball))));
  }
  return Object.keys(packument.versions).length;
}

let names = values.only ? values.only.split(',') : readdirSync(dir).sort();
if (values.first) names = names.slice(0, Number(values.first));
const started = Date.now();
// Big packages first: a 3,000-version package is a long serial chain and should not start last.
const sizes = new Map(names.map((n) => [n, readFileSync(path.join(dir, n, 'package.json')).length]));
names.sort((a, b) => sizes.get(b) - sizes.get(a));
const versions = (await runPool(names, Number(values.concurrency), publishPackage)).reduce((a, b) => a + b, 0);
console.error(`[bench] published ${names.length} packages (${versions} versions) to ${registry} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

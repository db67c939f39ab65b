#!/usr/bin/env node
// Publishes the npm data set through the registry's real publish API (PUT /<name>, one version per
// request with its tarball as a base64 attachment, as `npm publish` sends it; protocols.md §4.2).
// Versions of one package go in order; packages in parallel. Basic auth (user:password).
// Usage: npm-publish.mjs <data dir> <registry url> <user> <password> [package ...]
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const [data, registry, user, password, ...only] = process.argv.slice(2);
if (!data || !registry || !user || !password) throw new Error('usage: npm-publish.mjs <data> <registry> <user> <password> [pkg...]');
const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

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
  const dir = path.join(data, 'npm', name);
  const packument = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const started = Date.now();
  for (const manifest of Object.values(packument.versions)) {
    await publishVersion(name, manifest, readFileSync(path.join(dir, path.basename(manifest.dist.tarball))));
  }
  console.error(`[bench] published ${name} (${Object.keys(packument.versions).length} versions) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const names = only.length ? only : readdirSync(path.join(data, 'npm'));
await Promise.all(names.map(publishPackage));

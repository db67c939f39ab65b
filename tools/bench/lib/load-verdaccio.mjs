#!/usr/bin/env node
// Loads the npm data set into a Verdaccio local-storage directory by writing its on-disk layout directly
// (<storage>/<name>/package.json + tarballs), which is what `npm publish` to Verdaccio produces, minus
// 3,300 PUTs. Also writes config.yaml; with an uplink URL (the fixture upstream), the tree-* and @tree-*
// packages are proxied from it and cached for an hour, like our npm-proxy's NPM_METADATA_TTL_SECONDS=3600.
// Usage: load-verdaccio.mjs <data dir> <verdaccio dir> <port> [uplink url]
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [data, home, port, uplink] = process.argv.slice(2);
if (!data || !home || !port) throw new Error('usage: load-verdaccio.mjs <data dir> <verdaccio dir> <port>');
const storage = path.join(home, 'storage');

for (const name of readdirSync(path.join(data, 'npm'))) {
  const src = path.join(data, 'npm', name);
  const dst = path.join(storage, name);
  mkdirSync(dst, { recursive: true });
  const packument = JSON.parse(readFileSync(path.join(src, 'package.json'), 'utf8'));
  const attachments = {};
  for (const [version, manifest] of Object.entries(packument.versions)) {
    const file = path.basename(manifest.dist.tarball);
    attachments[file] = { shasum: manifest.dist.shasum, version };
    copyFileSync(path.join(src, file), path.join(dst, file));
  }
  // Fields Verdaccio's local storage keeps next to the CouchDB-style document.
  const stored = { ...packument, _uplinks: {}, _distfiles: {}, _attachments: attachments };
  writeFileSync(path.join(dst, 'package.json'), JSON.stringify(stored));
}

// Product defaults except: loopback only, the bench data local and only the fixture's packages proxied, logs
// at warn (no per-request line, same as the proxies under test), web UI off (not part of the npm protocol).
const proxied = uplink ? `
  '@tree-*/*':
    access: $all
    proxy: fixture
  'tree-*':
    access: $all
    proxy: fixture` : '';
writeFileSync(path.join(home, 'config.yaml'), `storage: ${storage}
listen: 127.0.0.1:${port}
auth:
  htpasswd:
    file: ${path.join(home, 'htpasswd')}
    max_users: -1
uplinks: ${uplink ? `
  fixture:
    url: ${uplink}/
    maxage: 60m
    timeout: 60s
    cache: true` : '{}'}
packages:${proxied}
  '**':
    access: $all
    publish: $authenticated
web:
  enable: false
log: { type: stdout, format: json, level: warn }
max_body_size: 100mb
`);

#!/usr/bin/env node
// Writes the PyPI data set as a devpi export dump (the format `devpi-export` writes, dumpversion 2), so
// `devpi-import` loads 2,010 files in one go: uploading them one by one through devpi's API takes many
// minutes on 2 cores because every upload rewrites the project's link list (measured: ~1.5 s per upload
// past 1,000 files). Index bench/dev, user bench (password "benchpw"). Usage: devpi-dump.mjs <data> <out>
import { linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [data, out] = process.argv.slice(2);
if (!data || !out) throw new Error('usage: devpi-dump.mjs <data dir> <out dir>');
const created = '2026-01-01T00:00:00Z';
// argon2id hashes of the throwaway passwords "rootpw" / "benchpw" of this local, loopback-only bench server.
const user = (username, pwhash) => ({ username, created, pwhash });
const projects = {};
const files = [];
for (const project of readdirSync(path.join(data, 'pypi'))) {
  projects[project] = {};
  for (const f of JSON.parse(readFileSync(path.join(data, 'pypi', project, 'files.json'), 'utf8'))) {
    projects[project][f.version] ??= { name: project, version: f.version, metadata_version: '2.1', summary: 'benchmark fixture' };
    const relpath = `bench/dev/${project}/${f.version}/${f.filename}`;
    mkdirSync(path.join(out, path.dirname(relpath)), { recursive: true });
    linkSync(path.join(data, 'pypi', project, f.filename), path.join(out, relpath));
    files.push({
      version: f.version, type: 'releasefile', projectname: project, relpath,
      entrymapping: { last_modified: 'Thu, 01 Jan 2026 00:00:00 GMT', hash_spec: `sha256=${f.sha256}`, hashes: { sha256: f.sha256 }, project, version: f.version },
      log: [{ what: 'upload', who: 'bench', when: [2026, 1, 1, 0, 0, 0], dst: 'bench/dev' }],
    });
  }
}
writeFileSync(path.join(out, 'dataindex.json'), JSON.stringify({
  dumpversion: '2', pythonversion: [3, 11, 7, 'final', 0], devpi_server: '6.20.3',
  users: {
    root: user('root', '$argon2id$v=19$m=65536,t=3,p=4$fA+BEAKgdK517r2X0nqv9Q$R6AoVX08ZcHTZvNl/NUWxrpZ56ZmlWRiaVImHtDbv5E'),
    bench: user('bench', '$argon2id$v=19$m=65536,t=3,p=4$rhXC+J/zvrd2zjlnrFVKaQ$U9i3uKf0Ytu2ADa7Tcd5WfYSTy/JJCWSF1rKXXy4SYY'),
  },
  indexes: {
    'bench/dev': {
      indexconfig: { type: 'stage', bases: [], volatile: true, acl_upload: ['bench'], acl_toxresult_upload: [':ANONYMOUS:'], mirror_whitelist: [], mirror_whitelist_inheritance: 'intersection' },
      projects, files,
    },
  },
}));

#!/usr/bin/env node
// Uploads wheels through the "legacy" upload API (the one twine uses: POST multipart with
// :action=file_upload; see protocols.md §2), with a few uploads in flight. Works for any index that speaks it.
// Projects are the <projects dir>/<project>/files.json lists written by gen-pypi.mjs (wheels beside them).
// Usage: pypi-upload.mjs <projects dir> <upload url> <user> <password> [--concurrency n] [--only a,b] [--first n]
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runPool } from './pool.mjs';

const { positionals, values } = parseArgs({ allowPositionals: true, options: {
  concurrency: { type: 'string', default: '4' }, first: { type: 'string' }, only: { type: 'string' },
} });
const [dir, url, user, password] = positionals;
if (!dir || !url || !user || !password) throw new Error('usage: pypi-upload.mjs <projects dir> <url> <user> <password> [--concurrency n] [--first n]');
const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function upload({ project, file }) {
  const form = new FormData();
  const fields = {
    ':action': 'file_upload', protocol_version: '1', metadata_version: '2.1', name: project,
    version: file.version, filetype: 'bdist_wheel', pyversion: 'py3', sha256_digest: file.sha256,
    summary: 'benchmark fixture',
  };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('content', new Blob([readFileSync(path.join(dir, project, file.filename))]), file.filename);
  let res = await fetch(url, { method: 'POST', body: form, headers: { authorization: auth } });
  // A contended write (devpi's sqlite lock, a CAS conflict) can answer 5xx: retry a few times.
  for (let attempt = 1; res.status >= 500 && attempt <= 5; attempt++) {
    await res.arrayBuffer();
    res = await fetch(url, { method: 'POST', body: form, headers: { authorization: auth } });
  }
  if (!res.ok) throw new Error(`upload ${file.filename}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
}

let projects = values.only ? values.only.split(',') : readdirSync(dir).sort();
if (values.first) projects = projects.slice(0, Number(values.first));
// One worker per project at a time (uploads of one project serialize on its document anyway), projects in parallel.
const jobs = projects.map((project) => JSON.parse(readFileSync(path.join(dir, project, 'files.json'), 'utf8')).map((file) => ({ project, file })));
jobs.sort((a, b) => b.length - a.length);
const started = Date.now();
await runPool(jobs, Number(values.concurrency), async (files) => { for (const f of files) await upload(f); });
const total = jobs.reduce((n, files) => n + files.length, 0);
console.error(`[bench] uploaded ${total} files of ${projects.length} projects to ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

#!/usr/bin/env node
// Uploads every wheel of the PyPI data set through the "legacy" upload API (the one twine uses:
// POST multipart with :action=file_upload; see protocols.md §2), with a few uploads in flight.
// Works for any index that speaks it (devpi, our pypi-proxy).
// Usage: devpi-upload.mjs <data dir> <upload url> <user> <password> [concurrency]
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const [data, url, user, password, concurrencyArg] = process.argv.slice(2);
if (!data || !url || !user || !password) throw new Error('usage: devpi-upload.mjs <data> <url> <user> <password> [n]');
const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function upload(project, file) {
  const form = new FormData();
  const fields = {
    ':action': 'file_upload', protocol_version: '1', metadata_version: '2.1', name: project,
    version: file.version, filetype: 'bdist_wheel', pyversion: 'py3', sha256_digest: file.sha256,
    summary: 'benchmark fixture',
  };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('content', new Blob([readFileSync(path.join(data, 'pypi', project, file.filename))]), file.filename);
  let res = await fetch(url, { method: 'POST', body: form, headers: { authorization: auth } });
  // devpi answers 500 ("database is locked") when its sqlite write lock is contended: retry a few times.
  for (let attempt = 1; res.status >= 500 && attempt <= 5; attempt++) {
    await res.arrayBuffer();
    res = await fetch(url, { method: 'POST', body: form, headers: { authorization: auth } });
  }
  if (!res.ok) throw new Error(`upload ${file.filename}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
}

const queue = readdirSync(path.join(data, 'pypi')).flatMap((project) =>
  JSON.parse(readFileSync(path.join(data, 'pypi', project, 'files.json'), 'utf8')).map((file) => ({ project, file })));
const total = queue.length;
const worker = async () => {
  for (let job = queue.shift(); job; job = queue.shift()) await upload(job.project, job.file);
};
const started = Date.now();
await Promise.all(Array.from({ length: Number(concurrencyArg ?? 4) }, worker));
console.error(`[bench] uploaded ${total} files to ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

#!/usr/bin/env node
// A local upstream for the cold-cache case: one npm package (cold-pkg@1.0.0) and one PyPI project
// (cold-project, one wheel) whose file is <big file>. It counts every GET of the big file and serves it
// at about 100 MB/s (a fast real upstream; on loopback it would otherwise take ~20 ms and leave no window
// for concurrent misses). GET /-/counts returns the counts as JSON.
// Usage: cold-upstream.mjs <big file> <port>
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const [bigFile, port] = process.argv.slice(2);
if (!bigFile || !port) throw new Error('usage: cold-upstream.mjs <big file> <port>');
const big = readFileSync(bigFile);
const base = `http://127.0.0.1:${port}`;
const sha256 = createHash('sha256').update(big).digest('hex');
const npmTarball = '/cold-pkg/-/cold-pkg-1.0.0.tgz';
const wheel = '/packages/cold_project-1.0.0-py3-none-any.whl';
const counts = { [npmTarball]: 0, [wheel]: 0, other: 0 };

const packument = {
  _id: 'cold-pkg', name: 'cold-pkg', 'dist-tags': { latest: '1.0.0' },
  time: { created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', '1.0.0': '2026-01-01T00:00:00.000Z' },
  versions: { '1.0.0': { name: 'cold-pkg', version: '1.0.0', dist: {
    tarball: base + npmTarball,
    shasum: createHash('sha1').update(big).digest('hex'),
    integrity: `sha512-${createHash('sha512').update(big).digest('base64')}`,
  } } },
};
const simpleJson = {
  meta: { 'api-version': '1.1' }, name: 'cold-project', versions: ['1.0.0'],
  files: [{ filename: 'cold_project-1.0.0-py3-none-any.whl', url: base + wheel, hashes: { sha256 }, size: big.length }],
};

async function sendBig(res) {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': big.length });
  const chunk = 1 << 20;
  for (let off = 0; off < big.length && !res.destroyed; off += chunk) {
    if (!res.write(big.subarray(off, off + chunk))) await new Promise((r) => res.once('drain', r));
    await delay(10); // ~100 MB/s
  }
  res.end();
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', base).pathname;
  if (url === '/-/counts') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts));
  if (url === npmTarball || url === wheel) {
    counts[url] += 1;
    return void sendBig(res).catch(() => res.destroy());
  }
  counts.other += 1;
  if (url === '/cold-pkg') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
  if (url === '/simple/cold-project/') {
    return void res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' }).end(JSON.stringify(simpleJson));
  }
  res.writeHead(404).end();
}).listen(Number(port), '127.0.0.1');

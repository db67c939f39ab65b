#!/usr/bin/env node
// The local upstream of the pull-through cases: the project's own test fixtures (@registry/npm-testing's
// registry, @registry/pypi-testing's index + files origins) loaded with the tree data set and the 20 MB
// packument, on ephemeral loopback ports. GET <control>/counts answers how many requests each origin has
// received (and /requests which ones), so a run can prove that a "warm" measurement never reached the upstream.
// For the hanging-upstream installs, fault proxies (@registry/shared-testing's startFaultProxy, the one the e2e
// suites use) stand in front of these origins in sets, one set per instance of ours (FAULT_SETS), each turned
// faulty on its own: POST <control>/fault?set=<name>&kind=<Fault kind>; GET <control>/faults counts their connections.
// Writes { npm, pypiIndex, pypiFiles, control, faulty: { <set>: { npm, pypiIndex, pypiFiles } } } to <urls file>
// once everything listens.
// Usage (from the repository root): node --import tsx fixture-upstream.mjs <tree data dir> <big data dir> <urls file>
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import path from 'node:path';
import { startFixtureRegistry } from '@registry/npm-testing';
import { startFixtureUpstream } from '@registry/pypi-testing';
import { startFaultProxy } from '@registry/shared-testing';

/** One set of fault proxies per instance of ours that has them as its upstream (lib/ours.sh). */
const FAULT_SETS = ['npm-healthy', 'npm-hanging', 'pypi-healthy', 'pypi-hanging'];

const [treeDir, bigDir, urlsFile] = process.argv.slice(2);
if (!treeDir || !bigDir || !urlsFile) throw new Error('usage: fixture-upstream.mjs <tree data dir> <big data dir> <urls file>');

const npm = await startFixtureRegistry();
const loadNpm = (dir, name, { versions, distTags }) => npm.setPackage(name, Object.fromEntries(Object.entries(versions)
  .map(([v, { manifest, file }]) => [v, { manifest, tarball: readFileSync(path.join(dir, 'tarballs', file)) }])), distTags);
const tree = JSON.parse(readFileSync(path.join(treeDir, 'tree', 'npm', 'index.json'), 'utf8'));
for (const [name, pkg] of Object.entries(tree.packages)) loadNpm(path.join(treeDir, 'tree', 'npm'), name, pkg);
const big = JSON.parse(readFileSync(path.join(bigDir, 'big', 'index.json'), 'utf8'));
for (const pkg of big) loadNpm(path.join(bigDir, 'big'), pkg.name, pkg);

const pypi = await startFixtureUpstream();
const pypiDir = path.join(treeDir, 'tree', 'pypi', 'files');
const wheels = JSON.parse(readFileSync(path.join(treeDir, 'tree', 'pypi', 'index.json'), 'utf8'));
for (const [project, files] of Object.entries(wheels.projects)) {
  pypi.setProject(project, files.map((f) => ({
    filename: f.filename, bytes: readFileSync(path.join(pypiDir, f.filename)),
    ...(f.metadata ? { metadata: readFileSync(path.join(pypiDir, `${f.filename}.metadata`)) } : {}),
  })));
}

const rootIndexRequests = [];
const names = Object.keys(wheels.projects).sort();
const indexOrigin = new URL(pypi.indexUrl);
const front = createServer((req, res) => {
  if (req.url === '/simple/' || req.url === '/simple') {
    rootIndexRequests.push(`${req.method} ${req.url}`);
    const json = (req.headers.accept ?? '').includes('application/vnd.pypi.simple.v1+json');
    res.writeHead(200, { 'content-type': json ? 'application/vnd.pypi.simple.v1+json' : 'text/html; charset=utf-8' });
    return void res.end(json ? JSON.stringify({ meta: { 'api-version': '1.0' }, projects: names.map((name) => ({ name })) })
      : `<!DOCTYPE html><html><body>${names.map((n) => `<a href="/simple/${n}/">${n}</a>`).join('\n')}</body></html>`);
  }
  const forward = request({ host: indexOrigin.hostname, port: indexOrigin.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  forward.on('error', () => res.destroy());
  req.pipe(forward);
});
const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const frontPort = await listen(front);
const origins = { npm: npm.url, pypiIndex: `http://127.0.0.1:${frontPort}/simple`, pypiFiles: pypi.filesUrl };
// A fault proxy forwards the path as it is: its URL takes the origin's path (…/simple).
const behind = async (originUrl) => {
  const proxy = await startFaultProxy(originUrl);
  return { proxy, url: () => `${proxy.url}${new URL(originUrl).pathname.replace(/\/$/, '')}` };
};
const faultSets = Object.fromEntries(await Promise.all(FAULT_SETS.map(async (name) => [name,
  Object.fromEntries(await Promise.all(Object.entries(origins).map(async ([origin, url]) => [origin, await behind(url)])))])));

// GET /counts: { npm, pypi } request counts; GET /requests?family=npm|pypi&from=<n>: those requests from the n-th on.
const seen = { npm: () => npm.requests, pypi: () => [...pypi.requests, ...rootIndexRequests] };
const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/fault' && req.method === 'POST') {
    const set = faultSets[url.searchParams.get('set') ?? ''];
    if (!set) return void res.writeHead(404).end('no such fault set\n');
    const kind = url.searchParams.get('kind') ?? 'none';
    void Promise.all(Object.values(set).map(({ proxy }) => proxy.setFault({ kind }))).then(
      () => res.writeHead(204).end(),
      (err) => res.writeHead(500).end(`${err.message}\n`));
    return;
  }
  if (url.pathname === '/faults') {
    const connections = Object.fromEntries(Object.entries(faultSets).map(([name, set]) => [name,
      Object.fromEntries(Object.entries(set).map(([origin, { proxy }]) => [origin, { connections: proxy.connections, requests: proxy.requests.length }]))]));
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(connections));
  }
  const list = seen[url.searchParams.get('family') ?? ''];
  const body = url.pathname === '/requests' && list ? list().slice(Number(url.searchParams.get('from') ?? 0))
    : { npm: seen.npm().length, pypi: seen.pypi().length };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
});
const controlPort = await listen(control);
const faulty = Object.fromEntries(Object.entries(faultSets).map(([name, set]) => [name, Object.fromEntries(Object.entries(set).map(([o, { url }]) => [o, url()]))]));
writeFileSync(urlsFile, JSON.stringify({ ...origins, control: `http://127.0.0.1:${controlPort}`, faulty }));
console.error(`[bench] fixture upstream: ${Object.keys(tree.packages).length + big.length} npm packages, ${Object.keys(wheels.projects).length} PyPI projects`);

const stop = async () => {
  control.close();
  front.close();
  await Promise.all(Object.values(faultSets).flatMap((set) => Object.values(set).map(({ proxy }) => proxy.close())));
  await Promise.all([npm.close(), pypi.stop()]);
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

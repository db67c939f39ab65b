#!/usr/bin/env node
// Benchmark (not a test): the web console's package page for a package with 3,000 versions (the goal is
// under 200 ms on this machine). The app as createApp builds it, over an in-memory store and a loopback
// fixture upstream; sequential GETs, so each number is one request's latency.
//   node --import tsx tools/bench/web-console-page.mjs        # env: VERSIONS (3000), ROUNDS (200), REGISTRY (npm|pypi)
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { startFixtureRegistry } from '@registry/npm-testing';
import { startFixtureUpstream, makeWheel } from '@registry/pypi-testing';
import { buildTestApp } from '../../apps/npm-proxy/src/testing/harness.ts';
import { createHarness as createPypiHarness } from '../../apps/pypi-proxy/src/testing/harness.ts';

const versions = Number(process.env.VERSIONS ?? 3000);
const rounds = Number(process.env.ROUNDS ?? 200);
const readme = Array.from({ length: 200 }, (_, i) => `## Section ${i}\n\nSome *text* with a [link](https://docs.example/${i}) and \`code\`.\n`).join('\n');
const publishedAt = (i) => new Date(Date.now() - (versions - i + 10) * 86_400_000).toISOString();
const version = (i) => `1.${Math.floor(i / 100)}.${i % 100}`;

/** npm: a packument with 3,000 versions from the fixture registry. */
async function npmApp() {
  const upstream = await startFixtureRegistry();
  const tgz = randomBytes(100);
  const many = {};
  for (let i = 0; i < versions; i++) {
    many[version(i)] = {
      tarball: tgz, publishedAt: publishedAt(i),
      // The upstream keeps one README (the latest's); each version carries its manifest fields.
      manifest: { description: 'many versions', ...(i === versions - 1 ? { readme } : {}), dependencies: { 'left-pad': '^1.0.0', semver: '^7.0.0' } },
    };
  }
  upstream.setPackage('many-versions', many);
  const app = await buildTestApp({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient(), upstreamUrl: upstream.url, env: { REGISTRY_MIN_RELEASE_AGE: '3d' } });
  return { app, path: '/-/web/package/many-versions', close: () => upstream.close() };
}

/** PyPI: a project page with a wheel per version, the newest one's METADATA carrying a long Markdown description. */
async function pypiApp() {
  const upstream = await startFixtureUpstream();
  const files = Array.from({ length: versions }, (_, i) => {
    const wheel = makeWheel({ name: 'many-versions', version: version(i), requiresDist: ['requests>=2'], ...(i === versions - 1 ? { description: readme, descriptionContentType: 'text/markdown' } : {}) });
    return { filename: wheel.filename, bytes: wheel.bytes, metadata: wheel.metadata, uploadTime: publishedAt(i) };
  });
  upstream.setProject('many-versions', files);
  const { app } = await createPypiHarness({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient(), upstream, env: { REGISTRY_MIN_RELEASE_AGE: '3d' } });
  return { app, path: '/-/web/project/many-versions', close: () => upstream.stop() };
}

const target = process.env.REGISTRY === 'pypi' ? await pypiApp() : await npmApp();
const server = await new Promise((resolve) => { const s = target.app.listen(0, '127.0.0.1', () => resolve(s)); });
const base = `http://127.0.0.1:${server.address().port}${target.path}`;

async function time(url) {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return { ms: performance.now() - t0, bytes: body.length };
}
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const cold = await time(base);
console.log(`cold (upstream fetch + parse of ${versions} versions): ${cold.ms.toFixed(1)} ms, ${cold.bytes} bytes`);
for (const [label, url, n] of [['page (newest 50 versions)', base, rounds], ['?versions=all', `${base}?versions=all`, Math.max(10, rounds / 10)]]) {
  const samples = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) ({ ms: samples[i], bytes } = await time(url));
  console.log(`${label}: p50 ${pct(samples, 0.5).toFixed(2)} ms, p99 ${pct(samples, 0.99).toFixed(2)} ms over ${n} GETs, ${bytes} bytes`);
}
server.close();
await target.close();

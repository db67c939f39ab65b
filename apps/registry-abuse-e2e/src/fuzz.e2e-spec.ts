import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { requestArbitrary, type Credentials } from './support/request-arbitraries';
import { basic, npmUserToken, REPO_ROOT, send, startTargets, storeListing, type RawRequest, type Targets } from './support/targets';

const REQUESTS_PER_REGISTRY = Number(process.env['ABUSE_FUZZ_REQUESTS'] ?? 5_000);
const SEED = Number(process.env['ABUSE_FUZZ_SEED'] ?? 20_261_202);
/** Statuses a fixture upstream cannot cause here (it is up), but a gateway-class answer is not a bug of ours. */
const UPSTREAM_CLASS = new Set([502, 503, 504]);
/** Keys of the upstream metadata caches (npm packuments, PyPI project pages). */
const UPSTREAM_CACHE = /^objects\/(npm\/upstream|pypi\/upstream-pages)\//;
const TOKEN_LISTING = /^objects\/auth\/user-tokens\//;

interface Counts {
  sent: number;
  statuses: Record<string, number>;
  transportErrors: number;
  serverErrors: Array<{ status: number; method: string; path: string }>;
  strayObjects: Array<{ method: string; path: string; status: number; added: string[] }>;
  crashes: number;
  cacheFills: number;
  crashLines: string[];
}

/**
 * The fuzzer: 10,000 generated requests (5,000 per registry by default, ABUSE_FUZZ_REQUESTS to change) to
 * every route of the running npm-proxy and pypi-proxy, one at a time so each refused request's effect on the store is
 * its own. Asserts no 5xx but upstream-class ones, no process exit, and no object written by a request answered 4xx.
 */
describe('fuzzing every route of both running proxies', () => {
  let t: Targets;
  let creds: Credentials;
  beforeAll(async () => {
    t = await startTargets({ PATH: process.env['PATH'] ?? '' });
    const npmToken = await npmUserToken(t.npm, 'fuzzer', 'fuzzer-password-1');
    creds = { npmToken, basicUser: 'fuzzer', basicToken: basic('__token__', npmToken) };
  });
  afterAll(() => t.stop());

  it(`sends ${2 * REQUESTS_PER_REGISTRY} generated requests without a 5xx, a crash or a stray object`, async () => {
    const counts: Counts = { sent: 0, statuses: {}, transportErrors: 0, serverErrors: [], strayObjects: [], crashes: 0, cacheFills: 0, crashLines: [] };
    for (const target of ['npm', 'pypi'] as const) {
      const app = target === 'npm' ? t.npm : t.pypi;
      const requests = fc.sample(requestArbitrary(creds, target), { numRuns: REQUESTS_PER_REGISTRY, seed: SEED + (target === 'npm' ? 0 : 1) });
      let before = await storeListing(t.dataDir);
      for (const req of requests) {
        const status = await sendCounted(app.url, req, counts);
        const after = await storeListing(t.dataDir);
        if (status >= 400 && status < 500) {
          // A valid token's last use is recorded (at most once a minute) whatever the answer: that is the
          // credential's own record, as the account page shows it, not a write the refused request asked for.
          const added = after.filter((k) => !before.includes(k) && !TOKEN_LISTING.test(k));
          // A read of an upstream name fills the upstream metadata cache even when the version asked for is missing:
          // that is the read-through at work, not a refused request's write.
          const cacheFill = (req.method === 'GET' || req.method === 'HEAD') && added.every((k) => UPSTREAM_CACHE.test(k));
          if (added.length > 0 && cacheFill) counts.cacheFills++;
          else if (added.length > 0) counts.strayObjects.push({ method: req.method, path: req.path, status, added });
        }
        before = after;
      }
      const health = await send(app.url, { method: 'GET', path: '/-/health' }).catch(() => undefined);
      if (health?.status !== 200) counts.crashLines.push(`${target}: /-/health answered ${health?.status ?? 'nothing'}`);
      counts.crashLines.push(...app.output().split('\n').filter((l) => /uncaught exception|unhandled promise rejection/.test(l)).map((l) => `${target}: ${l.slice(0, 600)}`));
      counts.crashes = counts.crashLines.length;
    }
    report(counts);
    expect(counts.sent).toBeGreaterThanOrEqual(2 * REQUESTS_PER_REGISTRY);
    expect(counts.crashes).toBe(0);
    expect(counts.serverErrors).toEqual([]);
    expect(counts.strayObjects).toEqual([]);
  });
});

async function sendCounted(url: string, req: RawRequest, counts: Counts): Promise<number> {
  counts.sent++;
  try {
    const res = await send(url, req);
    counts.statuses[res.status] = (counts.statuses[res.status] ?? 0) + 1;
    if (res.status >= 500 && !UPSTREAM_CLASS.has(res.status)) counts.serverErrors.push({ status: res.status, method: req.method, path: req.path });
    return res.status;
  } catch {
    // A connection the server closed on purpose (a body refused before it was read) is not an answer.
    counts.transportErrors++;
    return 0;
  }
}

function report(counts: Counts): void {
  const summary = {
    requestsSent: counts.sent, statuses: counts.statuses, transportErrors: counts.transportErrors,
    serverErrors: counts.serverErrors.length, crashes: counts.crashes, strayObjects: counts.strayObjects.length, upstreamCacheFills: counts.cacheFills,
    examples: { serverErrors: counts.serverErrors.slice(0, 5), strayObjects: counts.strayObjects.slice(0, 5), crashes: counts.crashLines.slice(0, 5) },
  };
  const dir = path.join(REPO_ROOT, '.test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'registry-abuse-fuzz.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`abuse fuzzer: ${JSON.stringify(summary)}`);
}

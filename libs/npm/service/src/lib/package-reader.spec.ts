import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import type { Packument } from '@registry/npm-protocol';
import { createNpmService, type NpmServiceDeps } from './npm-service';
import { storageKeys } from './storage-keys';
import type { PrivatePackageRecord } from './private-packages';
import type { NpmUpstream } from './ports';
import { parsePublishRules, assertMayPublish } from './publish-rules';

function bigPackument(versions: number): Packument {
  const doc: Packument = { name: 'big', 'dist-tags': { latest: `1.0.${versions - 1}` }, versions: {}, time: { modified: new Date(0).toISOString() } };
  for (let i = 0; i < versions; i++) {
    doc.versions[`1.0.${i}`] = { name: 'big', version: `1.0.${i}`, dist: { tarball: `http://up.test/big/-/big-1.0.${i}.tgz`, shasum: 'a'.repeat(40) } };
  }
  return doc;
}

function settings(over: Partial<NpmServiceDeps>): NpmServiceDeps {
  return {
    store: new InMemoryBlobStore(), upstream: undefined, logger: silentLogger, policy: { privateScopes: new Set(), mergeAllowlist: new Set() },
    publishRules: [], metadataTtlMs: 60_000, notFoundTtlMs: 1000, metadataCacheEntries: 10, metadataCacheBytes: 64 * 1024 * 1024,
    privateRecheckMs: 1000, tarballCacheBytes: 0, signing: { keys: [], retired: [] }, ...over,
  };
}

describe('npm service: packuments', () => {
  it('parses and renders a 3,000-version packument once, not per request', async () => {
    let fetches = 0;
    const body = Buffer.from(JSON.stringify(bigPackument(3000)));
    const upstream = {
      origin: 'http://up.test',
      fetchPackument: async () => {
        fetches++;
        return { kind: 'ok' as const, body, etag: '"1"' };
      },
    } as unknown as NpmUpstream;
    const npm = createNpmService(settings({ store: new InMemoryBlobStore(), upstream }));
    const first = await npm.packument('big');
    const firstRendered = npm.served(first.state).rendered('http://proxy.test');
    const parse = jest.spyOn(JSON, 'parse');
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      for (let i = 0; i < 50; i++) {
        const again = await npm.packument('big');
        expect(again.state).toBe(first.state);
        expect(npm.served(again.state).rendered('http://proxy.test')).toBe(firstRendered);
      }
      expect(parse).not.toHaveBeenCalled();
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
      stringify.mockRestore();
    }
    expect(fetches).toBe(1);
    expect(first.state.tarballs.size).toBe(3000);
  });
});

describe('npm service: a packument over the memory budget', () => {
  it('stays parsed and rendered while small packuments come and go (size classes), so nobody re-serializes it', async () => {
    const docs = new Map<string, Buffer>([['big', Buffer.from(JSON.stringify(bigPackument(20_000)))]]);
    for (let i = 0; i < 30; i++) docs.set(`small-${i}`, Buffer.from(JSON.stringify({ ...bigPackument(3), name: `small-${i}` })));
    const fetched: string[] = [];
    const upstream = {
      origin: 'http://up.test',
      fetchPackument: async (name: string) => {
        fetched.push(name);
        return { kind: 'ok' as const, body: docs.get(name)!, etag: '"1"' };
      },
    } as unknown as NpmUpstream;
    // A 1 MiB budget: the 20,000-version packument (several MB rendered) is far over it.
    const npm = createNpmService(settings({ upstream, metadataCacheBytes: 1024 * 1024, metadataCacheEntries: 1000 }));
    const big = await npm.packument('big');
    const rendered = npm.served(big.state).rendered('http://proxy.test');
    expect(rendered.full.length).toBeGreaterThan(1024 * 1024);
    for (let i = 0; i < 30; i++) npm.served((await npm.packument(`small-${i}`)).state).rendered('http://proxy.test');
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      const again = await npm.packument('big');
      expect(npm.served(again.state).rendered('http://proxy.test')).toBe(rendered);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    expect(fetched.filter((n) => n === 'big')).toHaveLength(1);
  });
});

describe('npm service across instances on one store', () => {
  const record = (versions: string[]): Buffer => Buffer.from(JSON.stringify({
    packument: {
      name: 'shared', 'dist-tags': { latest: versions[versions.length - 1] ?? '' },
      versions: Object.fromEntries(versions.map((v) => [v, { name: 'shared', version: v, dist: { tarball: 'x', shasum: 'a'.repeat(40) } }])),
    },
    unpublished: {}, tarballKeys: Object.fromEntries(versions.map((v) => [v, `k/${v}`])),
  } satisfies PrivatePackageRecord));

  it("shows another instance's publish within privateRecheckMs, and this instance's own write at once", async () => {
    const store = new InMemoryBlobStore();
    let now = 1_000_000;
    const npm = createNpmService(settings({ store, now: () => now }));
    const key = storageKeys.privatePackage('shared');
    await store.putDocument(key, record(['1.0.0']));
    const versionsSeen = async () => Object.keys((await npm.packument('shared')).state.doc.versions);
    expect(await versionsSeen()).toEqual(['1.0.0']);

    await store.putDocument(key, record(['1.0.0', '1.1.0'])); // another instance publishes
    now += 1000;
    expect(await versionsSeen()).toEqual(['1.0.0', '1.1.0']);

    await npm.setDistTag('shared', 'beta', '1.0.0', { name: 'admin', isAdmin: true }); // a write through this instance
    expect((await npm.packument('shared')).state.doc['dist-tags']).toMatchObject({ beta: '1.0.0' });
  });
});

describe('publish rules', () => {
  const rules = parsePublishRules('@acme/*:alice|bob;legacy-*:*');
  it('lets only listed users publish matching names', () => {
    expect(() => assertMayPublish(rules, { name: 'alice', isAdmin: false }, '@acme/x', undefined)).not.toThrow();
    expect(() => assertMayPublish(rules, { name: 'carol', isAdmin: false }, '@acme/x', undefined)).toThrow(/may not publish/);
    expect(() => assertMayPublish(rules, { name: 'carol', isAdmin: false }, 'legacy-x', undefined)).not.toThrow();
    expect(() => assertMayPublish(rules, { name: 'carol', isAdmin: true }, '@acme/x', undefined)).not.toThrow();
  });
  it('keeps packages to their maintainers', () => {
    expect(() => assertMayPublish([], { name: 'carol', isAdmin: false }, 'x', ['alice'])).toThrow(/not a maintainer/);
  });
  it('rejects malformed rules at start-up', () => {
    expect(() => parsePublishRules('@acme/*')).toThrow(/NPM_PUBLISH_RULES/);
  });
});

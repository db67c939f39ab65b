import { resolveByteRange } from './byte-range';
import { compareKeys } from './keys';
import { prefixedBlobStore } from './prefixed-blob-store';
import { InMemoryBlobStore } from './testing/in-memory-blob-store';
import { FAKE_OBJECT_ORIGIN, PresigningBlobStore } from './testing/presigning-blob-store';
import { putBlob, readAll } from './testing/contract-support';

describe('resolveByteRange', () => {
  it('clamps the end and refuses impossible ranges', () => {
    expect(resolveByteRange({ start: 0, end: 99 }, 50)).toEqual({ start: 0, end: 49 });
    expect(resolveByteRange(undefined, 50)).toBeUndefined();
    for (const bad of [{ start: 50, end: 60 }, { start: 5, end: 4 }, { start: -1, end: 3 }, { start: 0.5, end: 3 }]) {
      expect(() => resolveByteRange(bad, 50)).toThrow(expect.objectContaining({ code: 'range_not_satisfiable' }));
    }
  });
});

describe('compareKeys', () => {
  it('orders by code point (UTF-8 byte order, as S3 lists), unlike JS string order', () => {
    const keys = ['ﬀ', '😀', 'a', 'Z', 'ab'];
    expect([...keys].sort(compareKeys)).toEqual(['Z', 'a', 'ab', 'ﬀ', '😀']);
    expect([...keys].sort()).not.toEqual([...keys].sort(compareKeys));
  });
});

describe('prefixedBlobStore', () => {
  it('keeps keys under its prefix and hides the prefix from callers', async () => {
    const inner = new InMemoryBlobStore();
    const npm = prefixedBlobStore(inner, 'npm');
    await putBlob(npm, 'pkg/a.tgz', Buffer.from('a'));
    await npm.putDocument('pkg/packument.json', Buffer.from('{}'));
    const listed: string[] = [];
    for await (const key of npm.list('pkg/')) listed.push(key);
    expect(listed).toEqual(['pkg/a.tgz', 'pkg/packument.json']);
    expect((await npm.head('pkg/a.tgz'))?.key).toBe('pkg/a.tgz');
    expect((await inner.head('npm/pkg/a.tgz'))?.size).toBe(1);
    expect(await readAll((await npm.get('pkg/a.tgz'))!.body)).toEqual(Buffer.from('a'));
  });

  it('cannot be escaped with ".."', async () => {
    const npm = prefixedBlobStore(new InMemoryBlobStore(), 'npm');
    await expect(npm.begin('../pypi/x')).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('hands out download URLs of the full key only when the store under it does', async () => {
    expect(await prefixedBlobStore(new PresigningBlobStore(), 'npm').downloadUrl?.('pkg/a.tgz', { expiresInMs: 1_000 }))
      .toBe(`${FAKE_OBJECT_ORIGIN}/npm/pkg/a.tgz?expires-in-ms=1000`);
    expect(prefixedBlobStore(new InMemoryBlobStore(), 'npm').downloadUrl).toBeUndefined();
  });
});

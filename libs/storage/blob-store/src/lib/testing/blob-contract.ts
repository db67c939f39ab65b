import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DigestAlgorithm } from '../blob-store';
import { compareKeys } from '../keys';
import { digestHex, generatedChunks, putBlob, readAll, type ContractContext } from './contract-support';

const ALGORITHMS: DigestAlgorithm[] = ['sha256', 'sha512', 'sha1'];

/** Streaming reads, staged writes and keys: the part of the contract the proxies' file caches rely on. */
export function describeBlobContract(ctx: () => ContractContext): void {
  it('reports a missing key as undefined, never as an error', async () => {
    const key = `${ctx().unique('miss')}/absent.tgz`;
    expect(await ctx().store.get(key)).toBeUndefined();
    expect(await ctx().store.head(key)).toBeUndefined();
    expect(await ctx().store.getDocument(key)).toBeUndefined();
  });

  it('keeps a staged write invisible until commit, then serves it with its metadata', async () => {
    const { store } = ctx();
    const key = `${ctx().unique('staged')}/pkg-1.0.tgz`;
    const data = Buffer.from('hello, staged world');
    const pending = await store.begin(key, { contentType: 'application/gzip', expectedSize: data.length });
    pending.body.write(data.subarray(0, 5));
    expect(await store.head(key)).toBeUndefined();
    pending.body.end(data.subarray(5));
    expect(await store.head(key)).toBeUndefined();
    const meta = await pending.commit();
    expect(meta).toMatchObject({ key, size: data.length, contentType: 'application/gzip', digests: { sha256: digestHex('sha256', data) } });
    expect(await store.head(key)).toMatchObject({ key, size: data.length, contentType: 'application/gzip', etag: meta.etag });
    const blob = await store.get(key);
    expect(await readAll(blob!.body)).toEqual(data);
    await ctx().expectNoStagingLeftovers();
  });

  it('round-trips an empty blob', async () => {
    const key = `${ctx().unique('empty')}/f`;
    const pending = await ctx().store.begin(key, { expectedSize: 0, expectedDigest: { algorithm: 'sha256', hex: digestHex('sha256', Buffer.alloc(0)) } });
    pending.body.end();
    expect((await pending.commit()).size).toBe(0);
    expect((await readAll((await ctx().store.get(key))!.body)).length).toBe(0);
  });

  it('leaves nothing behind when a write is aborted', async () => {
    const key = `${ctx().unique('abort')}/f`;
    const pending = await ctx().store.begin(key);
    pending.body.write(Buffer.from('partial'));
    await pending.abort();
    expect(await ctx().store.head(key)).toBeUndefined();
    await ctx().expectNoStagingLeftovers();
  });

  it.each(ALGORITHMS)('commits when the %s digest matches and records it', async (algorithm) => {
    const key = `${ctx().unique(`ok-${algorithm}`)}/f`;
    const data = Buffer.from(`content for ${algorithm}`);
    const pending = await ctx().store.begin(key, { expectedDigest: { algorithm, hex: digestHex(algorithm, data) } });
    pending.body.end(data);
    expect((await pending.commit()).digests[algorithm]).toBe(digestHex(algorithm, data));
    expect((await ctx().store.head(key))?.digests[algorithm]).toBe(digestHex(algorithm, data));
  });

  it.each(ALGORITHMS)('rejects a %s digest mismatch with integrity_mismatch and exposes nothing', async (algorithm) => {
    const key = `${ctx().unique(`bad-${algorithm}`)}/f`;
    const pending = await ctx().store.begin(key, { expectedDigest: { algorithm, hex: digestHex(algorithm, Buffer.from('other')) } });
    pending.body.end(Buffer.from('tampered'));
    await expect(pending.commit()).rejects.toMatchObject({ code: 'integrity_mismatch' });
    expect(await ctx().store.head(key)).toBeUndefined();
    await ctx().expectNoStagingLeftovers();
  });

  it('rejects a truncated body (size mismatch) and exposes nothing', async () => {
    const key = `${ctx().unique('short')}/f`;
    const pending = await ctx().store.begin(key, { expectedSize: 100 });
    pending.body.end(Buffer.alloc(60));
    await expect(pending.commit()).rejects.toMatchObject({ code: 'integrity_mismatch' });
    expect(await ctx().store.head(key)).toBeUndefined();
    await ctx().expectNoStagingLeftovers();
  });

  it('exposes nothing when the writer stream fails', async () => {
    const key = `${ctx().unique('broken')}/f`;
    const pending = await ctx().store.begin(key);
    pending.body.write(Buffer.from('first half'));
    pending.body.destroy(new Error('upstream connection reset'));
    await expect(pending.commit()).rejects.toThrow();
    await pending.abort();
    expect(await ctx().store.head(key)).toBeUndefined();
    await ctx().expectNoStagingLeftovers();
  });

  it('exposes nothing when the write is cancelled through its AbortSignal', async () => {
    const key = `${ctx().unique('cancel')}/f`;
    const controller = new AbortController();
    const pending = await ctx().store.begin(key, { signal: controller.signal });
    pending.body.write(Buffer.from('some bytes'));
    controller.abort();
    await expect(pending.commit()).rejects.toThrow();
    expect(await ctx().store.head(key)).toBeUndefined();
    await ctx().expectNoStagingLeftovers();
  });

  it('serves byte ranges, clamps an end past the last byte, and refuses a start past it', async () => {
    const key = `${ctx().unique('range')}/f`;
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    await putBlob(ctx().store, key, data);
    const middle = await ctx().store.get(key, { range: { start: 10, end: 19 } });
    expect(middle?.range).toEqual({ start: 10, end: 19 });
    expect(middle?.meta.size).toBe(1000);
    expect(await readAll(middle!.body)).toEqual(data.subarray(10, 20));
    const suffix = await ctx().store.get(key, { range: { start: 990, end: 999 } });
    expect(await readAll(suffix!.body)).toEqual(data.subarray(990));
    const clamped = await ctx().store.get(key, { range: { start: 995, end: 5000 } });
    expect(clamped?.range).toEqual({ start: 995, end: 999 });
    expect(await readAll(clamped!.body)).toEqual(data.subarray(995));
    await expect(ctx().store.get(key, { range: { start: 1000, end: 1200 } })).rejects.toMatchObject({ code: 'range_not_satisfiable' });
  });

  it('streams a 20 MB body in both directions without handing it over in one piece', async () => {
    const key = `${ctx().unique('large')}/big.whl`;
    const size = 20 * 1024 * 1024;
    const expected = createHash('sha256');
    for (const chunk of generatedChunks(size)) expected.update(chunk);
    const hex = expected.digest('hex');
    const pending = await ctx().store.begin(key, { expectedSize: size, expectedDigest: { algorithm: 'sha256', hex } });
    await pipeline(Readable.from(generatedChunks(size)), pending.body);
    expect((await pending.commit()).size).toBe(size);
    const blob = await ctx().store.get(key);
    const actual = createHash('sha256');
    let chunks = 0;
    let largest = 0;
    for await (const chunk of blob!.body) {
      actual.update(chunk as Uint8Array);
      chunks += 1;
      largest = Math.max(largest, (chunk as Uint8Array).length);
    }
    expect(actual.digest('hex')).toBe(hex);
    expect(chunks).toBeGreaterThan(4);
    expect(largest).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it('replaces a blob on a second commit and changes its etag', async () => {
    const key = `${ctx().unique('overwrite')}/f`;
    await putBlob(ctx().store, key, Buffer.from('version one'));
    const first = await ctx().store.head(key);
    await putBlob(ctx().store, key, Buffer.from('version two!'));
    const second = await ctx().store.head(key);
    expect(second?.etag).not.toBe(first?.etag);
    expect(await readAll((await ctx().store.get(key))!.body)).toEqual(Buffer.from('version two!'));
  });

  it('lists committed keys under a prefix in byte order, and nothing staged', async () => {
    const base = ctx().unique('list');
    const names = ['zeta', 'alpha', 'b/nested', 'ab', 'Ärger', '😀', 'ﬀ'];
    for (const name of names) await putBlob(ctx().store, `${base}/${name}`, Buffer.from(name));
    await putBlob(ctx().store, `${base}-sibling/outside`, Buffer.from('x'));
    const pending = await ctx().store.begin(`${base}/uncommitted`);
    pending.body.write(Buffer.from('x'));
    const listed: string[] = [];
    for await (const key of ctx().store.list(`${base}/`)) listed.push(key);
    await pending.abort();
    expect(listed).toEqual(names.map((n) => `${base}/${n}`).sort(compareKeys));
    const partial: string[] = [];
    for await (const key of ctx().store.list(`${base}/a`)) partial.push(key);
    expect(partial).toEqual([`${base}/ab`, `${base}/alpha`]);
  });

  it('deletes idempotently', async () => {
    const key = `${ctx().unique('delete')}/f`;
    await putBlob(ctx().store, key, Buffer.from('x'));
    await ctx().store.delete(key);
    expect(await ctx().store.head(key)).toBeUndefined();
    await expect(ctx().store.delete(key)).resolves.toBeUndefined();
  });

  it.each(['@scope/pkg/-/pkg-1.0.0.tgz', 'pct%2Fencoded%', 'plus+sign', 'with space.whl', 'ünïcödé/日本語.tar.gz', "q'uote(s)!*~"])(
    'round-trips the key %j', async (name) => {
      const key = `${ctx().unique('keys')}/${name}`;
      await putBlob(ctx().store, key, Buffer.from(name));
      expect(await readAll((await ctx().store.get(key))!.body)).toEqual(Buffer.from(name));
      const listed: string[] = [];
      for await (const k of ctx().store.list(ctx().unique('keys'))) listed.push(k);
      expect(listed).toContain(key);
    });

  it.each(['../escape', 'a/../../b', '/absolute', 'a//b', 'a/./b', '', 'nul\u0000byte', '.staging/x'])('rejects the key %j with invalid_request', async (key) => {
    await expect(ctx().store.begin(key)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(ctx().store.get(key)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(ctx().store.putDocument(key, Buffer.from('{}'))).rejects.toMatchObject({ code: 'invalid_request' });
  });
}

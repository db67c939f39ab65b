import type { BlobStore } from '../blob-store';
import { updateDocument } from '../json-document';
import { asSeparateInstance, withReadBarrier, type ContractContext } from './contract-support';

interface Doc {
  writers: string[];
}

/** Adds a writer unless it is there: idempotent, like every real mutation (a retried change writes nothing twice). */
const addWriter = (name: string) => (doc: Doc | undefined): Doc | undefined =>
  (doc?.writers.includes(name) ? undefined : { writers: [...(doc?.writers ?? []), name] });

/** Conditional create and compare-and-swap: what keeps two proxy instances from losing each other's updates. */
export function describeDocumentContract(ctx: () => ContractContext): void {
  it('creates a document only once with ifNoneMatch "*"', async () => {
    const key = `${ctx().unique('create')}/doc.json`;
    const { etag } = await ctx().store.putDocument(key, Buffer.from('{"v":1}'), { ifNoneMatch: '*', contentType: 'application/json' });
    await expect(ctx().store.putDocument(key, Buffer.from('{"v":2}'), { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(await ctx().store.getDocument(key)).toEqual({ body: Buffer.from('{"v":1}'), etag });
  });

  it('swaps only when ifMatch names the current etag', async () => {
    const key = `${ctx().unique('cas')}/doc.json`;
    const first = await ctx().store.putDocument(key, Buffer.from('one'));
    const second = await ctx().store.putDocument(key, Buffer.from('two'), { ifMatch: first.etag });
    expect(second.etag).not.toBe(first.etag);
    await expect(ctx().store.putDocument(key, Buffer.from('stale'), { ifMatch: first.etag })).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(await ctx().store.getDocument(key)).toEqual({ body: Buffer.from('two'), etag: second.etag });
  });

  it('fails ifMatch on a missing document', async () => {
    const key = `${ctx().unique('cas-missing')}/doc.json`;
    await expect(ctx().store.putDocument(key, Buffer.from('x'), { ifMatch: 'anything' })).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(await ctx().store.getDocument(key)).toBeUndefined();
  });

  it('overwrites unconditionally without options, and a document is readable as a blob', async () => {
    const key = `${ctx().unique('plain')}/doc.json`;
    await ctx().store.putDocument(key, Buffer.from('{"a":1}'));
    const { etag } = await ctx().store.putDocument(key, Buffer.from('{"a":2}'), { contentType: 'application/json' });
    expect((await ctx().store.getDocument(key))?.etag).toBe(etag);
    expect(await ctx().store.head(key)).toMatchObject({ size: 7, contentType: 'application/json', etag });
  });

  it('keeps both of two racing updateDocument calls from two instances (the loser retries)', async () => {
    const key = `${ctx().unique('race')}/doc.json`;
    await ctx().store.putDocument(key, Buffer.from(JSON.stringify({ writers: [] })));
    // Both instances read the same version before either writes, so exactly one compare-and-swap must fail.
    const [first, second] = withReadBarrier([ctx().store, ctx().anotherInstance()]) as [BlobStore, BlobStore];
    const results = await Promise.all([updateDocument(first, key, addWriter('a')), updateDocument(second, key, addWriter('b'))]);
    // One of them lost the compare-and-swap and applied its change again (with a read-back of conditional writes,
    // a write that was followed at once by the other's can count as lost too: both retry, nothing is doubled).
    expect(Math.max(...results.map((r) => r.attempts))).toBe(2);
    const stored = JSON.parse((await ctx().store.getDocument(key))!.body.toString()) as Doc;
    expect(stored.writers.sort()).toEqual(['a', 'b']);
  });

  it('keeps all of ten concurrent updates from ten instances, including the conditional create of a new document', async () => {
    const key = `${ctx().unique('stress')}/doc.json`;
    const names = Array.from({ length: 10 }, (_, i) => `w${i}`);
    await Promise.all(names.map((name) => updateDocument<Doc>(asSeparateInstance(ctx().store), key, addWriter(name), { maxAttempts: 50 })));
    const stored = JSON.parse((await ctx().store.getDocument(key))!.body.toString()) as Doc;
    expect(stored.writers.sort()).toEqual([...names].sort());
  });

  it('queues the concurrent updates of one instance: each applies on its first attempt, in arrival order', async () => {
    const key = `${ctx().unique('queue')}/doc.json`;
    const names = Array.from({ length: 10 }, (_, i) => `q${i}`);
    const results = await Promise.all(names.map((name) => updateDocument<Doc>(ctx().store, key, addWriter(name))));
    expect(results.map((r) => r.attempts)).toEqual(names.map(() => 1));
    const stored = JSON.parse((await ctx().store.getDocument(key))!.body.toString()) as Doc;
    expect(stored.writers).toEqual(names);
  });

  it('writes nothing when the mutation returns undefined', async () => {
    const key = `${ctx().unique('noop')}/doc.json`;
    const result = await updateDocument(ctx().store, key, () => undefined);
    expect(result).toMatchObject({ written: false, value: undefined, etag: undefined });
    expect(await ctx().store.getDocument(key)).toBeUndefined();
  });
}

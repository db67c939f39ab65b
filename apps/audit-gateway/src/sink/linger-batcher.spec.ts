import { LingerBatcher } from './linger-batcher';

describe('LingerBatcher', () => {
  it('merges concurrent adds into one send and settles each add', async () => {
    const sends: number[][] = [];
    const batcher = new LingerBatcher<number>({ lingerMs: 5, maxBytes: 1_000, sizeOf: () => 1, send: async (items) => void sends.push(items) });
    await Promise.all([batcher.add([1, 2]), batcher.add([3]), batcher.add([4, 5])]);
    expect(sends).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('splits a merge into sends of at most maxBytes, in order', async () => {
    const sends: number[][] = [];
    const batcher = new LingerBatcher<number>({ lingerMs: 5, maxBytes: 10, sizeOf: () => 4, send: async (items) => void sends.push(items) });
    await Promise.all([batcher.add([1, 2, 3]), batcher.add([4, 5])]);
    expect(sends).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every add carried by a failed send', async () => {
    const batcher = new LingerBatcher<number>({ lingerMs: 1, maxBytes: 100, sizeOf: () => 1, send: async () => { throw new Error('broker down'); } });
    await expect(Promise.all([batcher.add([1]), batcher.add([2])])).rejects.toThrow('broker down');
  });
});

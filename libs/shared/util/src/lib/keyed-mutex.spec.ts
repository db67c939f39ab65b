import { KeyedMutex } from './keyed-mutex';

/** A promise with its resolve function exposed, so a test decides when a task finishes. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in arrival order, and tasks of other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const first = gate();
    const a1 = mutex.run('a', async () => { order.push('a1 start'); await first.promise; order.push('a1 end'); });
    const a2 = mutex.run('a', async () => { order.push('a2'); });
    const b1 = mutex.run('b', async () => { order.push('b1'); });
    await b1;
    expect(order).toEqual(['a1 start', 'b1']);
    first.open();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(mutex.size).toBe(0);
  });

  it('goes on with the next task when one fails, and hands the failure to its own caller only', async () => {
    const mutex = new KeyedMutex();
    const failed = mutex.run('a', async () => { throw new Error('boom'); });
    const next = mutex.run('a', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });

  it('keeps the arrival order around a failing task', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const first = gate();
    const a = mutex.run('k', async () => { log.push('a start'); await first.promise; log.push('a end'); });
    const b = mutex.run('k', async () => { log.push('b'); throw new Error('b failed'); });
    const c = mutex.run('k', async () => { log.push('c'); });
    first.open();
    await a;
    await expect(b).rejects.toThrow('b failed');
    await c;
    expect(log).toEqual(['a start', 'a end', 'b', 'c']);
  });
});

import { Lru } from './lru';
import { SingleFlight } from './single-flight';

describe('Lru', () => {
  it('evicts the least recently used entries once the byte budget is exceeded', () => {
    const cache = new Lru<string, string>({ maxBytes: 100 });
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A'); // a is now the most recently used
    cache.set('c', 'C', 40);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual(['A', 'C']);
    expect(cache.weight).toBe(80);
  });

  it('bounds the entry count too', () => {
    const cache = new Lru<string, number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
    expect(cache.size).toBe(2);
  });

  it('counts a weight that grows after insertion, and ignores a reweigh of a replaced value', () => {
    const cache = new Lru<string, string>({ maxBytes: 100 });
    cache.set('a', 'A', 10);
    cache.set('b', 'B', 10);
    cache.reweigh('b', 'B', 95);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.weight).toBe(95);
    cache.reweigh('b', 'old B', 1);
    expect(cache.weight).toBe(95);
  });

  it('keeps a single entry larger than the budget rather than nothing', () => {
    const cache = new Lru<string, string>({ maxBytes: 10 });
    cache.set('big', 'X', 50);
    expect(cache.get('big')).toBe('X');
    cache.set('other', 'Y', 5);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('Lru values', () => {
  it('lists the values least recently used first, and reading them does not change the order', () => {
    const cache = new Lru<string, number>();
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    cache.get('a');
    expect([...cache.values()]).toEqual([2, 3, 1]);
    expect([...cache.values()]).toEqual([2, 3, 1]);
  });
});

describe('SingleFlight', () => {
  it('shares one run among concurrent callers and starts afresh once it settled', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    const work = async () => ++runs;
    expect(await Promise.all([flights.run('k', work), flights.run('k', work)])).toEqual([1, 1]);
    expect(flights.size).toBe(0);
    expect(await flights.run('k', work)).toBe(2);
  });
});

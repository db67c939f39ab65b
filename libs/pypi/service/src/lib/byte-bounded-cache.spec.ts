import { ByteBoundedCache } from './byte-bounded-cache';

describe('ByteBoundedCache', () => {
  it('evicts the least recently used entries once the byte budget is exceeded', () => {
    const cache = new ByteBoundedCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A'); // a is now the most recently used
    cache.set('c', 'C', 40);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual(['A', 'C']);
    expect(cache.bytes).toBe(80);
  });

  it('counts a weight that grows after insertion, and ignores a reweigh of a replaced value', () => {
    const cache = new ByteBoundedCache<string>(100);
    cache.set('a', 'A', 10);
    cache.set('b', 'B', 10);
    cache.reweigh('b', 'B', 95);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(95);
    cache.reweigh('b', 'old B', 1);
    expect(cache.bytes).toBe(95);
  });

  it('keeps a single entry larger than the budget rather than nothing', () => {
    const cache = new ByteBoundedCache<string>(10);
    cache.set('big', 'X', 50);
    expect(cache.get('big')).toBe('X');
    cache.set('other', 'Y', 5);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

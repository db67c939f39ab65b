import { SizeClassedLru } from './size-classed-lru';

describe('SizeClassedLru', () => {
  it('keeps a document larger than the whole budget without evicting the small ones, and the small ones do not evict it', () => {
    const lru = new SizeClassedLru<string, string>({ maxBytes: 800 });
    lru.set('a', 'a', 50);
    lru.set('b', 'b', 50);
    lru.set('huge', 'huge', 5_000);
    expect([lru.get('a'), lru.get('b'), lru.get('huge')]).toEqual(['a', 'b', 'huge']);
    for (let i = 0; i < 20; i++) lru.set(`s${i}`, `s${i}`, 50);
    expect(lru.get('huge')).toBe('huge');
    expect(lru.get('a')).toBeUndefined(); // small ones evict each other, within their share
  });

  it('moves an entry to the large class when it grows past the threshold (lazy rendering)', () => {
    const lru = new SizeClassedLru<string, object>({ maxBytes: 800 });
    const doc = {};
    lru.set('doc', doc, 10);
    lru.reweigh('doc', doc, 5_000);
    for (let i = 0; i < 20; i++) lru.set(`s${i}`, {}, 50);
    expect(lru.get('doc')).toBe(doc);
    lru.delete('doc');
    expect(lru.get('doc')).toBeUndefined();
  });
});

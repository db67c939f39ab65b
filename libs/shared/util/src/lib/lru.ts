export interface LruLimits {
  /** Most entries held; default unbounded. */
  maxEntries?: number;
  /** Most summed weight (bytes) held; default unbounded. */
  maxBytes?: number;
}

/**
 * A least-recently-used map bounded by entry count and by the summed weight of its entries (bytes): a
 * 3,000-version packument or a 2,000-file project page weighs megabytes, so a count alone does not bound
 * memory. A weight may change after insertion (documents are rendered lazily): call `reweigh`. An entry heavier
 * than the whole budget is kept alone rather than not at all: serving it beats rebuilding it on every request.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private totalWeight = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(limits: LruLimits = {}) {
    this.maxEntries = limits.maxEntries ?? Number.POSITIVE_INFINITY;
    this.maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, weight = 0): void {
    this.delete(key);
    this.map.set(key, { value, weight });
    this.totalWeight += weight;
    this.evict();
  }

  /** The value without touching its recency. */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Updates the weight of `key` if it still holds `value` (a lazily grown entry), without touching its recency. */
  reweigh(key: K, value: V, weight: number): void {
    const entry = this.map.get(key);
    if (entry === undefined || entry.value !== value) return;
    this.totalWeight += weight - entry.weight;
    entry.weight = weight;
    this.evict();
  }

  delete(key: K): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    this.map.delete(key);
    this.totalWeight -= entry.weight;
  }

  /** The values held, least recently used first, without touching their recency. */
  *values(): IterableIterator<V> {
    for (const entry of this.map.values()) yield entry.value;
  }

  /** Summed weight of the entries held. */
  get weight(): number {
    return this.totalWeight;
  }

  get size(): number {
    return this.map.size;
  }

  private evict(): void {
    for (const [key, entry] of this.map) {
      if (this.map.size <= 1 || (this.map.size <= this.maxEntries && this.totalWeight <= this.maxBytes)) return;
      this.map.delete(key);
      this.totalWeight -= entry.weight;
    }
  }
}

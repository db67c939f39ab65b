/**
 * A small least-recently-used map: bounded memory for the packument and tarball caches. Bounded by entry
 * count and, when `maxWeight` is set, by the summed `weight` of the entries (bytes): a 3,000-version
 * packument renders to megabytes, so a count alone does not bound memory.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private totalWeight = 0;
  constructor(private readonly maxEntries: number, private readonly maxWeight = Number.POSITIVE_INFINITY) {}

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry !== undefined) {
      this.map.delete(key);
      this.map.set(key, entry);
    }
    return entry?.value;
  }

  /** Stores (or re-weighs) an entry; an entry heavier than the whole budget is not kept. */
  set(key: K, value: V, weight = 0): void {
    this.delete(key);
    if (weight > this.maxWeight) return;
    this.map.set(key, { value, weight });
    this.totalWeight += weight;
    while (this.map.size > this.maxEntries || this.totalWeight > this.maxWeight) {
      this.delete(this.map.keys().next().value as K);
    }
  }

  delete(key: K): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    this.map.delete(key);
    this.totalWeight -= entry.weight;
  }

  /** Summed weight of the entries held (bytes, for the byte-bounded caches). */
  get weight(): number {
    return this.totalWeight;
  }
}

/** Single-flight: concurrent callers for one key share one in-flight promise (§6.3 "single-flight"). */
export class SingleFlight<V> {
  private readonly inflight = new Map<string, Promise<V>>();
  run(key: string, work: () => Promise<V>): Promise<V> {
    const existing = this.inflight.get(key);
    if (existing) return existing;
    const promise = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }
}

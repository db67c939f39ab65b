import { Lru, type LruLimits } from './lru';

export interface SizeClassedLruLimits extends LruLimits {
  /** An entry heavier than this lives in the large class; default an eighth of `maxBytes`. */
  largeOver?: number;
  /** Share of `maxBytes` for the large class (it keeps at least one entry); default a quarter. */
  largeShare?: number;
}

/**
 * An Lru in two size classes: small entries share most of the budget, large ones (a 20 MB packument, a
 * 2,000-file page) have their own share and always keep the latest one. So one huge document neither evicts
 * every small one nor is evicted by them: neither side is rebuilt on every request.
 */
export class SizeClassedLru<K, V> {
  private readonly small: Lru<K, V>;
  private readonly large: Lru<K, V>;
  private readonly largeOver: number;

  constructor(limits: SizeClassedLruLimits = {}) {
    const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
    const share = limits.largeShare ?? 0.25;
    this.largeOver = limits.largeOver ?? maxBytes / 8;
    this.small = new Lru({ maxBytes: maxBytes * (1 - share), ...(limits.maxEntries ? { maxEntries: limits.maxEntries } : {}) });
    this.large = new Lru({ maxBytes: maxBytes * share });
  }

  get(key: K): V | undefined {
    return this.small.get(key) ?? this.large.get(key);
  }

  set(key: K, value: V, weight = 0): void {
    this.delete(key);
    this.classOf(weight).set(key, value, weight);
  }

  /** Updates the weight of `key` if it still holds `value`, moving it to the other class when it crossed over. */
  reweigh(key: K, value: V, weight: number): void {
    const target = this.classOf(weight);
    const other = target === this.small ? this.large : this.small;
    if (other.peek(key) === value) {
      other.delete(key);
      target.set(key, value, weight);
      return;
    }
    target.reweigh(key, value, weight);
  }

  delete(key: K): void {
    this.small.delete(key);
    this.large.delete(key);
  }

  get weight(): number {
    return this.small.weight + this.large.weight;
  }

  get size(): number {
    return this.small.size + this.large.size;
  }

  private classOf(weight: number): Lru<K, V> {
    return weight > this.largeOver ? this.large : this.small;
  }
}

/**
 * A map that keeps at most `maxBytes` of values, by the weight each value reports, evicting the least
 * recently used first. A weight may grow after insertion (pages are rendered lazily): call `reweigh`.
 * One entry heavier than the whole budget is kept alone (serving it beats rebuilding it per request).
 */
export class ByteBoundedCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private totalBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    this.entries.set(key, { value, bytes });
    this.totalBytes += bytes;
    this.evict();
  }

  /** Updates the weight of `key` if it still holds `value`. */
  reweigh(key: string, value: V, bytes: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.value !== value) return;
    this.totalBytes += bytes - entry.bytes;
    entry.bytes = bytes;
    this.evict();
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes || this.entries.size === 1) return;
      this.entries.delete(key);
      this.totalBytes -= entry.bytes;
    }
  }
}

interface Pending<T> { items: T[]; resolve: () => void; reject: (err: unknown) => void }

export interface LingerBatcherOptions<T> {
  lingerMs: number;
  /** A send carries at most this many bytes (by `sizeOf`); bigger merges are split into several sends. */
  maxBytes: number;
  sizeOf: (item: T) => number;
  send: (items: T[]) => Promise<void>;
}

/**
 * Merges items added within `lingerMs` (or up to `maxBytes`) into as few `send`s as the byte bound
 * allows, one send at a time, and settles each add() with the outcome of the sends that carried it.
 */
export class LingerBatcher<T> {
  private pending: Pending<T>[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LingerBatcherOptions<T>) {}

  add(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.bytes += items.reduce((n, item) => n + this.opts.sizeOf(item), 0);
      this.schedule(this.bytes >= this.opts.maxBytes ? 0 : this.opts.lingerMs);
    });
  }

  /** Sends what is pending now and waits for every send in progress. */
  async flush(): Promise<void> {
    this.schedule(0);
    await new Promise((r) => setImmediate(r));
    await this.sending;
  }

  private schedule(ms: number): void {
    if (this.timer && ms > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.dispatch(), ms);
  }

  private dispatch(): void {
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.bytes = 0;
    if (batch.length === 0) return;
    this.sending = this.sending.then(async () => {
      try {
        for (const chunk of this.chunks(batch.flatMap((p) => p.items))) await this.opts.send(chunk);
        batch.forEach((p) => p.resolve());
      } catch (err) {
        batch.forEach((p) => p.reject(err));
      }
    });
  }

  private *chunks(items: T[]): Generator<T[]> {
    let chunk: T[] = [];
    let bytes = 0;
    for (const item of items) {
      const size = this.opts.sizeOf(item);
      if (chunk.length > 0 && bytes + size > this.opts.maxBytes) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(item);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }
}

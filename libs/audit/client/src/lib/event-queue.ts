/**
 * A bounded FIFO with O(1) push, peek of the head batch and removal of the head. The head batch stays
 * in the queue while it is in flight: it is removed only after the gateway acknowledged it.
 */
export class EventQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('queue capacity must be a positive integer');
  }

  get length(): number {
    return this.items.length - this.head;
  }

  isFull(): boolean {
    return this.length >= this.capacity;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest `max` items, still queued. */
  peek(max: number): T[] {
    return this.items.slice(this.head, this.head + max) as T[];
  }

  /** Removes the oldest `count` items (after they were acknowledged). */
  removeHead(count: number): void {
    for (let i = this.head; i < this.head + count && i < this.items.length; i++) this.items[i] = undefined;
    this.head = Math.min(this.head + count, this.items.length);
    this.compact();
  }

  /**
   * Drops the oldest item that is not in flight (the first `inFlight` items are), for the
   * `drop-oldest` overflow policy. Returns false when every item is in flight.
   */
  dropOldestAfter(inFlight: number): boolean {
    const index = this.head + inFlight;
    if (index >= this.items.length) return false;
    this.items.splice(index, 1);
    return true;
  }

  private compact(): void {
    // Reclaim the array once the consumed prefix dominates it (amortised O(1)).
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Concurrent callers for one key share one in-flight promise; the next call after it settles starts afresh.
 * Used wherever a burst of requests would otherwise repeat one fetch or one store round trip.
 */
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  run(key: string, work: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Keys with work in flight (for tests and metrics). */
  get size(): number {
    return this.inFlight.size;
  }
}

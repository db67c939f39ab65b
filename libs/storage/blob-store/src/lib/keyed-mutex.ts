/**
 * Runs tasks for the same key one after another, in arrival order; tasks for different keys run concurrently.
 * Put in front of a compare-and-swap loop, it turns the callers of one instance into a queue, so they never
 * race each other (and never starve one another through retries); the CAS still guards against other instances.
 * The S3 adapter also serialises document PUTs per key with it: some S3-compatible servers (versitygw 1.7.0)
 * check If-Match and then write without a lock, so only one conditional PUT per key may be in flight.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or queued (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}

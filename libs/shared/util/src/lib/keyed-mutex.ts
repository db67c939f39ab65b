/**
 * Runs tasks for the same key one after another, in arrival order; tasks for different keys run concurrently.
 * Put in front of a compare-and-swap loop, it turns the callers of one instance into a queue, so they never
 * race each other (and never starve one another through retries); the CAS still guards against other instances.
 * updateDocument queues the writers of one document with it, and the S3 adapter its conditional PUTs (see its README).
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

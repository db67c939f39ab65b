/**
 * Runs tasks for the same key one after another (tasks for different keys run concurrently).
 * Used around document PUTs: versitygw 1.7.0 checks If-Match and then writes without a lock, so two
 * concurrent conditional PUTs with the same ETag can both succeed, and concurrent PUTs of one key can leave
 * an ETag that belongs to another PUT's body. Serialising PUTs in this process closes both races between
 * callers of one instance; across instances only a server with atomic conditional writes (AWS S3, MinIO) helps.
 */
export class KeyedQueue {
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
}

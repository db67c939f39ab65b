import { AppError } from '@registry/shared-errors';

export interface HashingQueueOptions {
  /** Password hashes computed at once; default 2 (libuv's pool has 4 threads, file I/O keeps the rest). */
  concurrency?: number;
  /** Hashes allowed to wait; beyond it a request is refused with 429 and Retry-After; default 32. */
  maxWaiting?: number;
}

/**
 * Runs scrypt jobs a few at a time. scrypt runs on libuv's thread pool, which file I/O (the fs store, upload
 * staging) shares: without a bound, a burst of password checks queues every read behind it. A bounded wait list
 * refuses instead of queueing for ever.
 */
export function createHashingQueue(opts: HashingQueueOptions = {}) {
  const concurrency = opts.concurrency ?? 2;
  const maxWaiting = opts.maxWaiting ?? 32;
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = (): void => {
    running -= 1;
    const next = waiting.shift();
    if (next !== undefined) {
      running += 1;
      next();
    }
  };

  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (running >= concurrency) {
        if (waiting.length >= maxWaiting) {
          throw new AppError('too_many_requests', 'too many password checks in progress; try again shortly', {
            headers: { 'retry-after': '1' },
          });
        }
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running += 1;
      }
      try {
        return await job();
      } finally {
        release();
      }
    },
    /** For tests and metrics: jobs running and waiting now. */
    load: () => ({ running, waiting: waiting.length }),
  };
}

export type HashingQueue = ReturnType<typeof createHashingQueue>;

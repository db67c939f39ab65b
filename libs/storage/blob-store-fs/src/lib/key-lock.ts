import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '@registry/shared-errors';
import { KeyedMutex } from '@registry/shared-util';

const STALE_AFTER_MS = 30_000; // a writer holds the lock for one rename or two; older means its process died
const WAIT_LIMIT_MS = 10_000;

/**
 * Serialises writers of one key: an in-process queue (KeyedMutex: cheap, fair) in front of an exclusive lock
 * file (`open(..., 'wx')`, atomic on POSIX) that excludes other processes sharing the same directory.
 */
export class KeyLocks {
  private readonly queue = new KeyedMutex();

  withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(lockPath, async () => {
      await acquireLockFile(lockPath);
      try {
        return await work();
      } finally {
        await rm(lockPath, { force: true });
      }
    });
  }
}

async function acquireLockFile(lockPath: string): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > STALE_AFTER_MS) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new AppError('unavailable', `timed out waiting for lock ${lockPath}`);
    await delay(2 + Math.random() * 10);
  }
}

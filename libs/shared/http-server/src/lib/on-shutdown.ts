import type { Logger } from '@registry/shared-logger';
import { guardProcess } from './process-guard';

/**
 * Runs the closers in order on SIGTERM/SIGINT (servers first so no new work arrives, then clients that
 * flush), then exits. A second signal exits at once. Also guards the process: an escaped error is logged, never
 * an exit (`guardProcess`).
 */
export function onShutdown(logger: Logger, closers: Array<() => Promise<void> | void>): void {
  guardProcess(logger);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const close of closers) {
      try {
        await close();
      } catch (err) {
        logger.error({ err }, 'error during shutdown');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

import type { Logger } from '@registry/shared-logger';

type GuardedProcess = Pick<NodeJS.Process, 'on'>;
const guarded = new WeakSet<object>();

/**
 * No request may take a process down: an error that escapes every handler (a throw in a stream or timer callback,
 * a rejected promise nobody awaited) is logged at fatal level with its stack, and the process keeps serving.
 * Express's error handler turns the errors it sees into a 500; this catches the ones it cannot see. Installed
 * once per process by `onShutdown`, which every service's main calls.
 */
export function guardProcess(logger: Logger, proc: GuardedProcess = process): void {
  if (guarded.has(proc)) return;
  guarded.add(proc);
  proc.on('uncaughtException', (err: Error) => logger.fatal({ err }, 'uncaught exception (kept running): this is a bug, please report it'));
  proc.on('unhandledRejection', (reason: unknown) => logger.fatal({ err: reason }, 'unhandled promise rejection (kept running): this is a bug, please report it'));
}

import { performance } from 'node:perf_hooks';
import { measureMemory } from 'node:vm';

export interface ReleaseMemoryOptions {
  /** How often the event loop's utilization is sampled (ms). */
  intervalMs?: number;
  /** A window busier than this (0-1) marks the process as having been under load. */
  busyAbove?: number;
  /** A window quieter than this after load is "gone quiet". */
  idleBelow?: number;
  /** For tests: the utilization of the window since the last call. */
  utilization?: () => number;
  /** For tests: the collection itself. */
  collect?: () => Promise<unknown>;
}

/**
 * One full garbage collection each time the process goes quiet after load. V8 otherwise keeps the old generation
 * full of the load's garbage until it next needs memory (its own idle-time reducer starts only seconds later and
 * not always), so an idle proxy would stay at its peak RSS. `vm.measureMemory` with eager execution is the one
 * API that runs a full collection without --expose-gc. Costs nothing under load and one collection (tens of ms)
 * per burst. Returns the stop function.
 */
export function releaseMemoryWhenIdle(opts: ReleaseMemoryOptions = {}): () => void {
  const busyAbove = opts.busyAbove ?? 0.2;
  const idleBelow = opts.idleBelow ?? 0.02;
  let last = performance.eventLoopUtilization();
  const utilization = opts.utilization ?? (() => {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return window;
  });
  const collect = opts.collect ?? (() => measureMemory({ mode: 'summary', execution: 'eager' }));
  let loaded = false;
  let collecting = false;
  const timer = setInterval(() => {
    const window = utilization();
    if (window > busyAbove) loaded = true;
    else if (loaded && window < idleBelow && !collecting) {
      loaded = false;
      collecting = true;
      collect().catch(() => undefined).finally(() => {
        collecting = false;
      });
    }
  }, opts.intervalMs ?? 200);
  timer.unref();
  return () => clearInterval(timer);
}

import { AppError } from '@registry/shared-errors';

export interface RateLimitOptions {
  /** Failed logins allowed per key (user name, remote address) inside the window; default 10. */
  maxFailures?: number;
  /** Sliding window length; default 5 minutes. */
  windowMs?: number;
  /** Bound on tracked keys, so a spray of user names cannot grow memory without limit; default 10 000. */
  maxTrackedKeys?: number;
}

export interface LoginRateLimiter {
  /** Throws AppError('too_many_requests') with a Retry-After header when any key is over its limit. */
  assertAllowed(keys: readonly string[]): void;
  recordFailure(keys: readonly string[]): void;
  reset(key: string): void;
}

/**
 * In-memory sliding-window counter of failed logins (per process: each instance limits on its own, so the
 * effective limit is multiplied by the number of instances; still enough to stop online guessing).
 */
export function createLoginRateLimiter(opts: RateLimitOptions, now: () => number): LoginRateLimiter {
  const maxFailures = opts.maxFailures ?? 10;
  const windowMs = opts.windowMs ?? 5 * 60_000;
  const maxTrackedKeys = opts.maxTrackedKeys ?? 10_000;
  const failures = new Map<string, number[]>();

  const recent = (key: string, at: number): number[] => {
    const kept = (failures.get(key) ?? []).filter((t) => t > at - windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };

  return {
    assertAllowed(keys) {
      const at = now();
      for (const key of keys) {
        const times = recent(key, at);
        if (times.length >= maxFailures) {
          const oldest = times[times.length - maxFailures] ?? at;
          const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - at) / 1000));
          throw new AppError('too_many_requests', 'too many failed logins; try again later', {
            headers: { 'retry-after': String(retryAfterSeconds) },
          });
        }
      }
    },
    recordFailure(keys) {
      const at = now();
      for (const key of keys) {
        const times = recent(key, at);
        failures.delete(key); // re-insert: Map order then tracks recency for eviction
        failures.set(key, [...times, at].slice(-maxFailures));
        if (failures.size > maxTrackedKeys) {
          const stalest = failures.keys().next().value;
          if (stalest !== undefined) failures.delete(stalest);
        }
      }
    },
    reset(key) {
      failures.delete(key);
    },
  };
}

import { AppError } from '@registry/shared-errors';

export interface RateLimitOptions {
  /** Login attempts allowed per key (user at an address; an address) inside the window, before their outcome; default 10. */
  maxFailures?: number;
  /** Sliding window length; default 5 minutes. */
  windowMs?: number;
  /** Bound on tracked keys, so a spray of user names cannot grow memory without limit; default 10 000. */
  maxTrackedKeys?: number;
}

/** An attempt counted when it starts: `succeeded` takes it back (and clears the user's count at that address). */
export interface LoginAttempt {
  succeeded(): void;
}

export interface LoginRateLimiter {
  /**
   * Counts a password check before it runs, so parallel guesses are limited as they arrive, not after scrypt
   * finishes. Throws AppError('too_many_requests') with Retry-After when the user at this address, or the address,
   * is over its limit. Keyed by user AND address: guesses from one address never lock the user out elsewhere.
   */
  begin(user: string, remoteAddr: string | undefined): LoginAttempt;
}

/**
 * In-memory sliding-window counter of unsuccessful logins (per process: each instance limits on its own, so the
 * effective limit is multiplied by the number of instances; still enough to stop online guessing).
 */
export function createLoginRateLimiter(opts: RateLimitOptions, now: () => number): LoginRateLimiter {
  const maxFailures = opts.maxFailures ?? 10;
  const windowMs = opts.windowMs ?? 5 * 60_000;
  const maxTrackedKeys = opts.maxTrackedKeys ?? 10_000;
  const attempts = new Map<string, number[]>();

  const recent = (key: string, at: number): number[] => {
    const kept = (attempts.get(key) ?? []).filter((t) => t > at - windowMs);
    if (kept.length === 0) attempts.delete(key);
    else attempts.set(key, kept);
    return kept;
  };

  const assertAllowed = (keys: readonly string[], at: number): void => {
    for (const key of keys) {
      const times = recent(key, at);
      if (times.length >= maxFailures) {
        const oldest = times[times.length - maxFailures] ?? at;
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - at) / 1000));
        throw new AppError('too_many_requests', 'too many login attempts; try again later', {
          headers: { 'retry-after': String(retryAfterSeconds) },
        });
      }
    }
  };

  const record = (key: string, at: number): void => {
    const times = recent(key, at);
    attempts.delete(key); // re-insert: Map order then tracks recency for eviction
    attempts.set(key, [...times, at].slice(-maxFailures));
    if (attempts.size > maxTrackedKeys) {
      const stalest = attempts.keys().next().value;
      if (stalest !== undefined) attempts.delete(stalest);
    }
  };

  const takeBack = (key: string, at: number): void => {
    const times = attempts.get(key);
    const index = times?.indexOf(at) ?? -1;
    if (times !== undefined && index >= 0) times.splice(index, 1);
    if (times?.length === 0) attempts.delete(key);
  };

  return {
    begin(user, remoteAddr) {
      const pairKey = `user:${user}@${remoteAddr ?? '-'}`;
      const keys = remoteAddr === undefined ? [pairKey] : [pairKey, `addr:${remoteAddr}`];
      const at = now();
      assertAllowed(keys, at);
      for (const key of keys) record(key, at);
      let settled = false;
      return {
        succeeded() {
          if (settled) return;
          settled = true;
          attempts.delete(pairKey);
          for (const key of keys.slice(1)) takeBack(key, at);
        },
      };
    },
  };
}

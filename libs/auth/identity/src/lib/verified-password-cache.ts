import { createHmac, randomBytes } from 'node:crypto';

export interface VerifiedPasswordCache {
  /** True when (name, password) was verified against exactly this stored hash within the TTL. */
  has(name: string, password: string, storedHash: string): boolean;
  remember(name: string, password: string, storedHash: string): void;
}

/**
 * Remembers recent successful password checks so clients that send Basic auth on every request (pip, twine)
 * do not pay one scrypt (~50 ms of libuv thread-pool time) per request. Entries are keyed by an HMAC under a
 * per-process random key (the password itself is never kept), bound to the stored hash (a password change
 * invalidates them), expire after `ttlMs`, and only successes are cached, so the rate limiter still sees
 * every failure.
 */
export function createVerifiedPasswordCache(opts: { ttlMs: number; maxEntries: number; now: () => number }): VerifiedPasswordCache {
  const hmacKey = randomBytes(32).toString('base64'); // a string key: 256 random bits, and no Buffer typing friction
  const entries = new Map<string, number>();
  const entryKey = (name: string, password: string, storedHash: string): string =>
    createHmac('sha256', hmacKey).update(name).update('\0').update(password).update('\0').update(storedHash).digest('base64');

  return {
    has(name, password, storedHash) {
      const key = entryKey(name, password, storedHash);
      const expiresAt = entries.get(key);
      if (expiresAt === undefined) return false;
      if (expiresAt <= opts.now()) {
        entries.delete(key);
        return false;
      }
      return true;
    },
    remember(name, password, storedHash) {
      const key = entryKey(name, password, storedHash);
      entries.delete(key);
      entries.set(key, opts.now() + opts.ttlMs);
      if (entries.size > opts.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
  };
}

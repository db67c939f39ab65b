import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Stored with every hash so the cost can be raised later without breaking existing users. */
export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
}

/** OWASP Password Storage Cheat Sheet minimum for scrypt: N=2^14 (with r=8, p=1 → 16 MiB per hash). */
const DEFAULT_PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** A Uint8Array view of a Buffer (no copy): @types/node 20.9 Buffers do not type-check as BinaryLike under TS 5.9. */
const bytes = (buf: Buffer): Uint8Array => new Uint8Array(buf.buffer, buf.byteOffset, buf.length);

const deriveKey = (password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), bytes(salt), KEY_LENGTH, { ...params, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await deriveKey(password, salt, DEFAULT_PARAMS);
  return { algorithm: 'scrypt', ...DEFAULT_PARAMS, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** Constant-time comparison of a candidate password against a stored hash. */
export async function verifyPasswordHash(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await deriveKey(password, Buffer.from(stored.salt, 'base64'), { N: stored.N, r: stored.r, p: stored.p });
  return actual.length === expected.length && timingSafeEqual(bytes(actual), bytes(expected));
}

/**
 * A hash of a random password, verified against when the user does not exist, so that the response time does
 * not reveal which user names are registered.
 */
export const createDecoyPasswordHash = (): Promise<PasswordHash> => hashPassword(randomBytes(16).toString('hex'));

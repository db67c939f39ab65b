import { AppError } from '@registry/shared-errors';

/** Adapters reserve this first segment for staged (not yet committed) writes. */
export const STAGING_SEGMENT = '.staging';

const MAX_KEY_BYTES = 1024; // the S3 limit, so a key valid here is valid on every adapter
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Rejects keys that could escape a directory or mean different things on different adapters:
 * empty, leading `/`, empty, `.` or `..` segments, control characters, over 1024 UTF-8 bytes, or the staging area.
 */
export function assertValidKey(key: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new AppError('invalid_request', `invalid storage key ${JSON.stringify(key)}: ${problem}`, { publicMessage: `a name in this request cannot be stored (${problem})` });
}

/** A list prefix is a key, a key followed by `/`, or the empty string. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  // A prefix may end mid-segment ("pkg/fo"), so only its complete segments must be valid.
  const problem = keyProblem(trimmed);
  if (problem !== undefined) throw new AppError('invalid_request', `invalid storage prefix ${JSON.stringify(prefix)}: ${problem}`, { publicMessage: `a name in this request cannot be stored (${problem})` });
}

function keyProblem(key: string): string | undefined {
  if (key === '') return 'empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (CONTROL_CHARS.test(key)) return 'control character';
  const segments = key.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'empty, "." or ".." segment';
  if (segments[0] === STAGING_SEGMENT) return `"${STAGING_SEGMENT}" is reserved`;
  return undefined;
}

/**
 * The order S3 lists keys in: by UTF-8 bytes, which is Unicode code point order. JS string comparison uses
 * UTF-16 code units and disagrees for characters outside the BMP (emoji sort before U+E000..U+FFFF there).
 */
export function compareKeys(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const l = left.next();
    const r = right.next();
    if (l.done || r.done) return l.done && r.done ? 0 : l.done ? -1 : 1;
    const diff = (l.value.codePointAt(0) ?? 0) - (r.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

/** What a client is told when the store failed; the error's message (with the key or path) is only logged. */
export const STORE_UNAVAILABLE = 'the package store is unavailable; try again';

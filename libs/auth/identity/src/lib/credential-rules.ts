import { AppError } from '@registry/shared-errors';

/**
 * npm-compatible user names (npm's own rules for package names, which its registry also applies to users):
 * lower case, URL-safe, at most 214 characters, not starting with "." or "_". The "__token__" user of the
 * PyPI API-token convention can therefore never be registered.
 */
const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,213}$/;

export const isValidUserName = (name: string): boolean => USER_NAME.test(name);

/** A user name a client sent, as it may be recorded (audit, logs): itself when valid, else a placeholder. */
export const claimedUserName = (name: string): string => (isValidUserName(name) ? name : '(invalid name)');

export function assertValidUserName(name: string): void {
  if (!isValidUserName(name)) {
    throw new AppError('invalid_request', 'user name must be 1-214 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit');
  }
}

export const MIN_PASSWORD_LENGTH = 8;
/** scrypt's cost does not grow with input length, but an upper bound keeps request bodies honest. */
const MAX_PASSWORD_LENGTH = 1024;

export function assertAcceptablePassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError('invalid_request', `password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
}

export function assertValidEmail(email: string | null): void {
  if (email === null) return;
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new AppError('invalid_request', 'email is not a valid address');
  }
}

const MAX_DESCRIPTION_LENGTH = 256;

export function assertValidDescription(description: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION_LENGTH) {
    throw new AppError('invalid_request', `token description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
}

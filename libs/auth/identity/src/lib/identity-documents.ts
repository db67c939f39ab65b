import { AppError, isAppError } from '@registry/shared-errors';
import { updateDocument, type BlobStore } from '@registry/storage-blob-store';
import type { PasswordHash } from './password-hash';
import type { TokenInfo, User } from './identity';

/**
 * `auth/user-tokens/<name>/<key>.json`: one listing entry per token (`prefix` = the secret's first characters).
 * One document per token rather than a list inside the user document: creating and revoking tokens then never
 * read-modify-write a shared document, so concurrent instances cannot lose each other's tokens even on an S3
 * server whose If-Match is not atomic across clients (versitygw 1.7.0).
 */
export type TokenListing = Omit<TokenInfo, 'token' | 'user' | 'session' | 'lastUsed' | 'expires'> & { prefix: string; session?: boolean; lastUsed?: string; expires?: string };

/** `auth/users/<name>.json`: the user and the password hash. */
export interface UserDocument {
  version: 1;
  user: User;
  password: PasswordHash;
}

/** `auth/tokens/<sha256 hex of secret>.json`: looked up on every token request; the secret is never stored. */
export interface TokenDocument {
  version: 1;
  user: string;
  readonly: boolean;
  cidrWhitelist: string[];
  description: string | null;
  created: string;
  /** A token minted to expire (a web console session): refused from then on, like a revoked one. */
  expires?: string;
}

export const USERS_PREFIX = 'auth/users/';
export const userDocumentKey = (name: string): string => `${USERS_PREFIX}${name}.json`;
export const tokenDocumentKey = (key: string): string => `auth/tokens/${key}.json`;
export const tokenListingPrefix = (user: string): string => `auth/user-tokens/${user}/`;
export const tokenListingKey = (user: string, key: string): string => `${tokenListingPrefix(user)}${key}.json`;

const encode = (doc: unknown): Buffer => Buffer.from(JSON.stringify(doc));
const JSON_TYPE = { contentType: 'application/json' };

export async function readDocument<T>(store: BlobStore, key: string): Promise<{ value: T; etag: string } | undefined> {
  const stored = await store.getDocument(key);
  if (stored === undefined) return undefined;
  return { value: JSON.parse(stored.body.toString('utf8')) as T, etag: stored.etag };
}

/** Conditional create; false when the key already exists (another instance won). */
export async function createDocument(store: BlobStore, key: string, doc: unknown): Promise<boolean> {
  try {
    await store.putDocument(key, encode(doc), { ...JSON_TYPE, ifNoneMatch: '*' });
    return true;
  } catch (err) {
    if (isAppError(err) && err.code === 'precondition_failed') return false;
    throw err;
  }
}

/**
 * Read-modify-write with compare-and-swap (storage `updateDocument`: retried on a concurrent change, so two
 * instances never lose each other's update). `mutate` may run several times and must be pure.
 * A missing document is AppError('not_found') and nothing is written.
 */
export async function updateExistingDocument<T>(
  store: BlobStore,
  key: string,
  mutate: (current: T) => T,
  notFoundMessage: string,
): Promise<T> {
  const result = await updateDocument<T>(store, key, (current) => (current === undefined ? undefined : mutate(current)), JSON_TYPE);
  if (result.value === undefined) throw new AppError('not_found', notFoundMessage);
  return result.value;
}

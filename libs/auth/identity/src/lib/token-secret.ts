import { createHash, randomBytes } from 'node:crypto';

/** Recognisable prefix, so leaked tokens are easy to find with secret scanners. */
const TOKEN_PREFIX = 'rg_';
/** rg_ + base64url of 32 random bytes (43 characters). */
const TOKEN_SHAPE = /^rg_[A-Za-z0-9_-]{43}$/;
const LISTED_PREFIX_LENGTH = 6;

export const newTokenSecret = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url');

export const looksLikeTokenSecret = (candidate: string): boolean => TOKEN_SHAPE.test(candidate);

/** The token's id (npm's `key`): sha256 hex of the secret. Only this is stored. */
export const tokenKeyOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** What a listing shows so the owner recognises a token: its first characters. */
export const listedPrefixOf = (secret: string): string => secret.slice(0, LISTED_PREFIX_LENGTH);

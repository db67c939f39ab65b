/** One identity for both registries: the same user logs in to npm and uploads with twine. */
export interface User {
  name: string;
  email: string | null;
  /** Admins may delete files and packages and manage others' tokens. */
  roles: Array<'admin' | 'publisher'>;
  createdAt: string;
  /** An admin turned the account off: its password and tokens are refused (absent in older documents = false). */
  disabled?: boolean;
}

/** A token as listed to its owner; the secret itself is shown once, at creation, and stored only hashed. */
export interface TokenInfo {
  /** Stable id (npm calls it `key`): a hash of the token, safe to show. */
  key: string;
  /** First characters of the token, for recognition in listings. */
  token: string;
  user: string;
  readonly: boolean;
  cidrWhitelist: string[];
  description: string | null;
  /** Minted by a login (`npm login`): the oldest sessions are revoked when a user holds too many. */
  session: boolean;
  created: string;
  updated: string;
  /** When the token last authenticated a request, to the minute (one write per token per minute at most); null: never. */
  lastUsed: string | null;
  /** When the token stops working (`expiresInMs` at creation); null: never (npm and twine tokens, `npm login`). */
  expires: string | null;
}

export interface CreateTokenOptions {
  readonly?: boolean;
  cidrWhitelist?: string[];
  description?: string;
  session?: boolean;
  /**
   * The token is refused this long after its creation, like a revoked one (a web console session,
   * WEB_CONSOLE_SESSION_TTL_MS); unset: it works until revoked.
   */
  expiresInMs?: number;
}

/** Who made a request, once credentials were checked. */
export interface Principal {
  user: User;
  /** How they proved it. */
  via: 'password' | 'token';
  /** Token used, when via === 'token'. */
  tokenKey?: string;
  readonly: boolean;
}

/**
 * Outcome of parsing an Authorization header; `invalid` means credentials were sent and are wrong (401/403).
 * `claimedUser` is who the refused credentials name, when that is known without trusting them: a password's user
 * name (`(invalid name)` for one that is not a user name), a known token's owner. Never a secret.
 */
export type AuthResult =
  | { kind: 'anonymous' }
  | { kind: 'authenticated'; principal: Principal }
  | { kind: 'invalid'; reason: string; claimedUser?: string };

/**
 * Users, passwords and API tokens, stored in the shared object store (documents updated with
 * compare-and-swap) so every instance of both proxies sees the same identities.
 */
export interface IdentityService {
  /** Creates a user; AppError('conflict') when the name is taken, 'forbidden' when sign-up is closed. */
  createUser(input: { name: string; password: string; email?: string | null; roles?: User['roles'] }): Promise<User>;
  /**
   * Creates a user on an admin's behalf, also while sign-up is closed (the deployed default): the caller has
   * checked that `admin` is one. AppError('conflict') when the name is taken.
   */
  addUserAsAdmin(admin: User, input: { name: string; password: string; email?: string | null; admin?: boolean }): Promise<User>;
  getUser(name: string): Promise<User | undefined>;
  /** Every account, by name (the admin console's list). */
  listUsers(): Promise<User[]>;
  /**
   * An admin turns an account on or off, or gives or takes the admin role. An admin never changes their own
   * account (they could lock everyone out): AppError('invalid_request'); AppError('not_found') for an unknown name.
   */
  updateUserAsAdmin(admin: User, name: string, change: { disabled?: boolean; admin?: boolean }): Promise<User>;
  /** Checks a password (scrypt, constant time). Attempts per user and per address are rate-limited: AppError('too_many_requests'). */
  verifyPassword(name: string, password: string, remoteAddr?: string): Promise<User | undefined>;
  /**
   * Mints a token. At most 200 non-session tokens per user (AppError('resource_exhausted') beyond); a `session`
   * token (a login) never fails on a cap: the user's oldest sessions beyond 50 are revoked instead.
   */
  createToken(user: string, opts?: CreateTokenOptions): Promise<{ secret: string; info: TokenInfo }>;
  /** The principal for a token secret, or undefined when unknown or revoked. */
  verifyToken(secret: string, remoteAddr?: string): Promise<Principal | undefined>;
  listTokens(user: string): Promise<TokenInfo[]>;
  /** Revokes by key or by the listed token prefix; AppError('not_found') when the user has no such token. */
  revokeToken(user: string, keyOrPrefix: string): Promise<void>;
  /**
   * Reads `Authorization`: `Bearer <token>`, `Basic user:password`, or `Basic __token__:<token>` (PyPI API tokens).
   */
  authenticate(authorization: string | undefined, remoteAddr?: string): Promise<AuthResult>;
}

import type { Request, RequestHandler, Response } from 'express';
import type { PolicyAdmin } from '@registry/policy-firewall';
import type { RegistryName, SearchHit } from '../view-model';
import type { PublishRulesView } from '../admin-pages';
import type { UsageSnapshot } from '../usage';

/**
 * What the console needs from its app, as ports: the app's own `route` (authentication, audit, the same access
 * rules as the clients' routes), its caller, the identity service both registries share, and the firewall.
 */
export type ConsoleRoute = (
  access: 'public' | 'read' | 'user',
  facts: (req: Request) => Record<never, never>,
  run: (req: Request, res: Response) => Promise<unknown> | unknown,
) => RequestHandler;

export interface ConsoleUser {
  name: string;
  email: string | null;
  roles: readonly string[];
  createdAt: string;
  disabled?: boolean;
}

export interface ConsolePrincipal {
  user: ConsoleUser;
  /** The token the request came with (a session's, for a browser). */
  tokenKey?: string;
}

export interface ConsoleToken {
  key: string;
  token: string;
  readonly: boolean;
  description: string | null;
  session: boolean;
  created: string;
  lastUsed: string | null;
  /** When the token stops working (a console login, WEB_CONSOLE_SESSION_TTL_MS); null: until revoked. */
  expires: string | null;
}

/** The identity service's calls the console makes (methods: the app passes the service itself). */
export interface ConsoleIdentity {
  verifyPassword(name: string, password: string, remoteAddr?: string): Promise<ConsoleUser | undefined>;
  createToken(user: string, opts: { readonly?: boolean; description?: string; session?: boolean; expiresInMs?: number }): Promise<{ secret: string; info: ConsoleToken }>;
  listTokens(user: string): Promise<ConsoleToken[]>;
  revokeToken(user: string, keyOrPrefix: string): Promise<void>;
  listUsers(): Promise<ConsoleUser[]>;
  addUserAsAdmin(admin: ConsoleUser, input: { name: string; password: string; email?: string | null; admin?: boolean }): Promise<ConsoleUser>;
  updateUserAsAdmin(admin: ConsoleUser, name: string, change: { disabled?: boolean; admin?: boolean }): Promise<ConsoleUser>;
}

/**
 * How a console action that changes accounts or tokens (log in and out, create and revoke a token, the admin's
 * user forms) becomes its request's audit event, through the app's one audit trail (`route`): the event the
 * clients' own login and token routes record, `extra.operation` a `console-*` name. Never a password or token.
 */
export interface ConsoleAudit {
  /** The facts `route` declares before anything runs, so a refusal is recorded too. */
  accountFacts(extra: Record<string, string>): Record<never, never>;
  /** Adds to this request's event once its form is read (the app's audit trail, audit-http's `declareAudit`). */
  declare(res: Response, facts: { extra: Record<string, string> }): void;
  /** A user name a form claims, as the clients' routes record a claimed name (auth-identity's `claimedUserName`). */
  claimedName(name: string): string;
}

/** One registry's own search, as its JSON search and the search page both use it. */
export type LocalSearch = (query: { text: string; from: number; size: number }) => Promise<{ hits: SearchHit[]; total: number; notice?: string }>;

/**
 * The lake's usage snapshot (USAGE_SNAPSHOT_KEY in the registry's own store, put there by tools/lake/usage.sh):
 * the app reads it through its store, holding it for WEB_CONSOLE_USAGE_RECHECK_MS; undefined when none is stored.
 */
export type UsageSnapshotSource = () => Promise<UsageSnapshot | undefined>;

/** A package the signed-in user publishes, for their account page. */
export interface OwnPackage {
  name: string;
  version?: string;
}

export interface ConsoleOptions {
  registry: RegistryName;
  /** The other registry's console (WEB_CONSOLE_PEER_URL): the nav links to it, searches ask it. */
  peerUrl?: string;
  /** Where this proxy reaches the peer's search (WEB_CONSOLE_PEER_SEARCH_URL); default `peerUrl`. */
  peerSearchUrl?: string;
  route: ConsoleRoute;
  /** The caller when credentials were sent and accepted. */
  callerOf: (res: Response) => ConsolePrincipal | undefined;
  identity: ConsoleIdentity;
  policy: PolicyAdmin;
  search: LocalSearch;
  /** The audit event of the forms that change accounts and tokens. */
  audit: ConsoleAudit;
  /** How long a console login lasts (WEB_CONSOLE_SESSION_TTL_MS): its session token's lifetime and the cookie's Max-Age. */
  sessionTtlMs: number;
  /** The search's audit facts (the registry's own search event). */
  searchFacts: (req: Request) => Record<never, never>;
  packagesOf: (user: string) => Promise<OwnPackage[]>;
  /** Who may publish what, for the admin page (from the app's configuration). */
  publishRules: PublishRulesView;
  usage: UsageSnapshotSource;
  /** The clock a snapshot's age is told by (the app's injected one in tests). */
  now: () => number;
}

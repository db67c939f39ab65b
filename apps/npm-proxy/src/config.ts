import { z } from 'zod';
import { FirewallEnv, releaseAge } from '@registry/policy-firewall';
import { loadSigningKey, parseKeysDocument, type RegistryKeyEntry, type RegistrySigningKey } from '@registry/npm-protocol';
import { HttpServerEnv, WebConsoleEnv, StorageEnv, trustProxy, httpUrl, logLevel, milliseconds, port, requireS3Settings, envBoolean, secondsToMs, type RenamedVariable } from '@registry/shared-config';

/** A PEM private key in one variable; `\n` escapes are accepted for env files that cannot hold newlines. */
const signingKey = z.string().transform((pem, ctx): RegistrySigningKey => {
  try {
    return loadSigningKey(pem.replace(/\\n/g, '\n'));
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** Retired public keys: entries of our own keys document, each with its `expires` set. */
const retiredKeys = z.string().transform((json, ctx): RegistryKeyEntry[] => {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    list = undefined;
  }
  const entries = Array.isArray(list) ? parseKeysDocument({ keys: list }) : [];
  if (!Array.isArray(list) || entries.length !== list.length || entries.some((e) => e.expires === null)) {
    ctx.addIssue({ code: 'custom', message: 'a JSON list of keys document entries ({keyid, keytype, scheme, key, expires}), each with its expiry' });
    return z.NEVER;
  }
  return entries;
});

const csv = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** Every variable npm-proxy reads (README configuration table; same names in compose and Helm). */
export const NpmProxyEnv = StorageEnv.extend({
  ...HttpServerEnv.shape,
  ...WebConsoleEnv.shape,
  HOST: z.string().min(1).default('127.0.0.1'),
  NPM_PROXY_PORT: port.default(8082),
  LOG_LEVEL: logLevel,
  /** Upstream npm registry base URL; unset = private-only. */
  NPM_UPSTREAM_URL: httpUrl.optional(),
  /**
   * `true`: a proxy whose upstream variable (PYPI_UPSTREAM_URL, NPM_UPSTREAM_URL) is unset uses the registry
   * this machine's own client uses (pip, npm; README "Upstreams"); `npm start` sets it. Off in every deployed
   * configuration: a deployment never guesses its upstream.
   */
  UPSTREAM_FROM_CLIENT_CONFIG: envBoolean.default(false),
  /** Public base URL of this proxy (tarball URLs in packuments point here). */
  NPM_PUBLIC_URL: httpUrl.optional(),
  /** Without NPM_PUBLIC_URL: the only `host[:port]` values reflected into tarball URLs, e.g. `npm.corp:8082`; empty: any. */
  NPM_ALLOWED_HOSTS: z.string().default('').transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)),
  AUDIT_GATEWAY_ADDR: z.string().min(1).optional(),
  /** Shared secret of the proxies and the audit gateway, sent in every gRPC call (a secret; the gateway requires it off loopback). */
  AUDIT_GATEWAY_TOKEN: z.string().min(16).optional(),
  /** Peers allowed to set X-Forwarded-*: false, a hop count, or CIDRs (never `true`; README "Security"). */
  TRUST_PROXY: trustProxy.default(false),
  /** Freshness of cached upstream packuments before an ETag revalidation (ms). */
  NPM_METADATA_TTL_MS: milliseconds.default(300_000),
  /** How long an upstream 404 is remembered (ms). */
  NPM_NOT_FOUND_TTL_MS: milliseconds.default(30_000),
  /** Cache-Control max-age sent with packuments (ms; sent in whole seconds). */
  NPM_METADATA_MAX_AGE_MS: milliseconds.default(60_000),
  /** Packages whose merged document and serialized bytes stay in memory. */
  NPM_METADATA_CACHE_ENTRIES: z.coerce.number().int().min(1).default(2000),
  /**
   * Memory budget of the packument caches in bytes (parsed documents, weighed at twice their JSON, and their
   * serialized bytes; a 3,000-version package takes megabytes): 15/32 for served documents, 15/32 for upstream
   * copies, 2/32 for keys and attestations documents. Sizing: a proxy takes ~80 MB at start, plus this budget,
   * plus NPM_TARBALL_CACHE_BYTES, plus the V8 young generation and garbage under load (~30-60 MB with the image's
   * NODE_OPTIONS): the defaults (48 + 24 MiB) keep it under 200 MB. A miss rebuilds from the store, never upstream.
   */
  NPM_METADATA_CACHE_BYTES: z.coerce.number().int().min(1024 * 1024).default(48 * 1024 * 1024),
  /**
   * How long (ms) a private package record is trusted without asking the store again. Publishes through this
   * instance show at once; another instance's publish on the same store shows up within this bound.
   */
  NPM_PRIVATE_RECHECK_MS: milliseconds.default(1000),
  /**
   * Memory budget (bytes) for hot tarballs served from memory (each at most 1/8 of it and 4 MiB: 3 MiB with the
   * default); 0 turns it off. Counted in the sizing of NPM_METADATA_CACHE_BYTES.
   */
  NPM_TARBALL_CACHE_BYTES: z.coerce.number().int().min(0).default(24 * 1024 * 1024),
  /** Largest upstream packument accepted (bytes). */
  NPM_MAX_METADATA_BYTES: z.coerce.number().int().min(1024).default(200 * 1024 * 1024),
  /** Largest publish request body (bytes; base64 tarballs are ~1.37x the tarball). */
  NPM_MAX_PUBLISH_BYTES: z.coerce.number().int().min(1024).default(200 * 1024 * 1024),
  /** Largest body an anonymous caller may send (`npm audit` without a token); refused by its length before it is read. */
  NPM_ANONYMOUS_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  /** Scopes that never go upstream, e.g. `@acme,@corp`. */
  NPM_PRIVATE_SCOPES: csv.default([]),
  /** Names published here that may still merge upstream versions (dependency-confusion exceptions). */
  NPM_UPSTREAM_MERGE_ALLOWLIST: csv.default([]),
  /**
   * Names the upstream serves that a first publish here may still claim (hiding the public package), e.g.
   * `acme-*,left-pad`; `*` wildcards. Other names the upstream serves are refused (403); names in
   * NPM_PRIVATE_SCOPES and NPM_UPSTREAM_MERGE_ALLOWLIST are always claimable.
   */
  NPM_CLAIMABLE_NAMES: csv.default([]),
  /** Who may publish what: `<pattern>:<user>|<user>;...` (see README). */
  NPM_PUBLISH_RULES: z.string().optional(),
  /** Anyone may read packuments and tarballs; false requires a token for reads too. */
  NPM_ANONYMOUS_READ: envBoolean.default(true),
  /** `npm adduser` may create new users (self sign-up); false: only existing users log in. */
  NPM_ALLOW_SIGNUP: envBoolean.default(true),
  /** Shared with pypi-proxy: the admin created or promoted at start-up. */
  REGISTRY_ADMIN_USER: z.string().min(1).optional(),
  REGISTRY_ADMIN_PASSWORD: z.string().min(1).optional(),
  /**
   * PEM (PKCS#8 or SEC1) ECDSA P-256 private key that signs every private version at publish, listed in
   * `/-/npm/v1/keys` (a secret; see README "Registry signatures"). Unset: private versions are not signed.
   */
  NPM_SIGNING_KEY: signingKey.optional(),
  /** JSON list of retired public keys (our keys document's entries, `expires` set): still served so old signatures verify. */
  NPM_RETIRED_SIGNING_KEYS: retiredKeys.default([]),
  /** Upstream connect timeout (ms). */
  NPM_UPSTREAM_CONNECT_TIMEOUT_MS: milliseconds.min(1).default(10_000),
  /**
   * While the upstream is marked unhealthy (after a failure or timeout; probed in the background with back-off),
   * how long a request for something not cached waits for the upstream's response headers (ms). Cached answers
   * never wait for an unhealthy upstream.
   */
  NPM_UPSTREAM_UNHEALTHY_DEADLINE_MS: milliseconds.min(1).default(2_000),
  /**
   * Past the metadata TTL, how long a cached document is still served at once while it is revalidated in the
   * background (stale-while-revalidate, ms); older copies wait for the upstream. 0: always wait.
   */
  NPM_METADATA_STALE_WHILE_REVALIDATE_MS: milliseconds.default(86_400_000),
  /** Upstream request timeout (headers and idle body, ms). */
  NPM_UPSTREAM_TIMEOUT_MS: milliseconds.min(1).default(30_000),
  ...FirewallEnv.shape,
  /** The release-age cooldown of this registry alone (wins over REGISTRY_MIN_RELEASE_AGE; `0` turns it off here). */
  NPM_MIN_RELEASE_AGE: releaseAge,
}).superRefine(requireS3Settings).superRefine((cfg, ctx) => {
  if (Boolean(cfg.REGISTRY_ADMIN_USER) !== Boolean(cfg.REGISTRY_ADMIN_PASSWORD)) {
    ctx.addIssue({ code: 'custom', path: ['REGISTRY_ADMIN_PASSWORD'], message: 'set REGISTRY_ADMIN_USER and REGISTRY_ADMIN_PASSWORD together' });
  }
});

export type NpmProxyConfig = z.infer<typeof NpmProxyEnv>;

/** Old names that still work, with a deprecation warning at start-up (durations were seconds). */
export const NPM_PROXY_RENAMED: readonly RenamedVariable[] = [
  { from: 'NPM_METADATA_TTL_SECONDS', to: 'NPM_METADATA_TTL_MS', convert: secondsToMs },
  { from: 'NPM_NOT_FOUND_TTL_SECONDS', to: 'NPM_NOT_FOUND_TTL_MS', convert: secondsToMs },
  { from: 'NPM_PACKUMENT_MAX_AGE_SECONDS', to: 'NPM_METADATA_MAX_AGE_MS', convert: secondsToMs },
  { from: 'NPM_PACKUMENT_CACHE_ENTRIES', to: 'NPM_METADATA_CACHE_ENTRIES' },
  { from: 'NPM_PACKUMENT_CACHE_BYTES', to: 'NPM_METADATA_CACHE_BYTES' },
  { from: 'NPM_LOCAL_REVALIDATE_MS', to: 'NPM_PRIVATE_RECHECK_MS' },
  { from: 'NPM_MAX_PACKUMENT_BYTES', to: 'NPM_MAX_METADATA_BYTES' },
  { from: 'NPM_UPSTREAM_TIMEOUT_SECONDS', to: 'NPM_UPSTREAM_TIMEOUT_MS', convert: secondsToMs },
];

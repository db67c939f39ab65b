import { z } from 'zod';
import { isIP } from 'node:net';

/** "true"/"false"/"1"/"0"/"yes"/"no": env booleans are strings, and z.coerce.boolean() would read "false" as true. */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const port = z.coerce.number().int().min(0).max(65535);

/** Durations are milliseconds everywhere (`*_MS`). */
export const milliseconds = z.coerce.number().int().min(0);

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** An http(s) URL without a trailing slash. */
export const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((u) => u.replace(/\/+$/, ''));

/** Storage variables shared by both proxies (README configuration table). */
export const StorageEnv = z.object({
  STORAGE_DRIVER: z.enum(['fs', 's3']).default('fs'),
  DATA_DIR: z.string().min(1).default('./data'),
  S3_ENDPOINT: httpUrl.optional(),
  /**
   * Where clients reach the S3 server when that is not S3_ENDPOINT (the proxy's own, often internal, address):
   * download redirects are signed for this host. Unset: S3_ENDPOINT (or AWS's own endpoint).
   */
  S3_PUBLIC_ENDPOINT: httpUrl.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: envBoolean.default(true),
  /**
   * Read every conditional write back, for S3-compatible servers whose If-Match is not atomic across clients
   * (versitygw); leave off for AWS S3 and MinIO.
   */
  S3_VERIFY_CONDITIONAL_WRITES: envBoolean.default(false),
  /** Key prefix inside the bucket or directory, so several deployments can share one bucket. */
  STORAGE_PREFIX: z.string().default(''),
  /**
   * `presigned`: a cached file is answered with a 302 to a short-lived presigned GET URL of its object, so the bytes
   * flow from the object store (docs/deployment.md "Download redirects"); S3 only. `off`: the proxy streams them.
   */
  STORAGE_DOWNLOAD_REDIRECT: z.enum(['off', 'presigned']).default('off'),
  /** How long a redirect's presigned URL stays valid (ms; 1 s to 7 days, whole seconds). */
  STORAGE_DOWNLOAD_REDIRECT_TTL_MS: milliseconds.min(1_000).max(604_800_000).default(300_000),
});

/**
 * Refinement: the s3 driver needs a bucket, and download redirects need the s3 driver (a directory has no URL a
 * client could be sent to). Apply with `.superRefine(requireS3Settings)`.
 */
export function requireS3Settings(
  cfg: { STORAGE_DRIVER: 'fs' | 's3'; S3_BUCKET?: string | undefined; STORAGE_DOWNLOAD_REDIRECT?: 'off' | 'presigned' }, ctx: z.RefinementCtx,
): void {
  if (cfg.STORAGE_DRIVER === 's3' && !cfg.S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when STORAGE_DRIVER=s3' });
  }
  if (cfg.STORAGE_DOWNLOAD_REDIRECT === 'presigned' && cfg.STORAGE_DRIVER !== 's3') {
    ctx.addIssue({
      code: 'custom', path: ['STORAGE_DOWNLOAD_REDIRECT'],
      message: `presigned redirects need STORAGE_DRIVER=s3 (the ${cfg.STORAGE_DRIVER} store has no URL to send a client to); unset it or use S3 storage`,
    });
  }
}

/**
 * HTTP server bounds shared by the three services (shared-http-server `startHttpServer`): a slow or silent client
 * is answered 408 and cut off instead of holding a socket for ever.
 */
export const HttpServerEnv = z.object({
  /** Time allowed for a request's headers to arrive (ms; 408 after). */
  HTTP_HEADERS_TIMEOUT_MS: milliseconds.min(100).default(20_000),
  /** Time allowed for a whole request (headers and body) to arrive (ms; 408 after). Large uploads need minutes. */
  HTTP_REQUEST_TIMEOUT_MS: milliseconds.min(100).default(600_000),
  /** Longest silence on a connection with a request in flight: body idle, or a client that stopped reading (ms). */
  HTTP_IDLE_TIMEOUT_MS: milliseconds.min(100).default(60_000),
  /** How long an idle keep-alive connection stays open (ms; above an ingress's idle timeout). */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds.min(100).default(65_000),
});
export type HttpServerSettings = z.infer<typeof HttpServerEnv>;

/** The web console's settings, the same on both proxies (README "Web console"). */
export const WebConsoleEnv = z.object({
  /**
   * Base URL of the other registry's proxy as browsers reach it (npm-proxy names pypi-proxy and the other way
   * round): the console's nav links to its pages and its search asks it. Unset: this registry only.
   */
  WEB_CONSOLE_PEER_URL: httpUrl.optional(),
  /**
   * Where this proxy itself reaches the peer for the cross-registry search, when that differs from the browsers'
   * URL (a service name inside the cluster or the compose network). Unset: WEB_CONSOLE_PEER_URL.
   */
  WEB_CONSOLE_PEER_SEARCH_URL: httpUrl.optional(),
  /**
   * How long (ms) the console answers from its copy of the lake's usage snapshot (`lake/usage-30d.json` in the
   * store, put there by `tools/lake/usage.sh`) before one `head` asks the store whether it changed.
   */
  WEB_CONSOLE_USAGE_RECHECK_MS: milliseconds.default(60_000),
  /**
   * How long a console login lasts (ms; 1 min to 30 days): its session token is refused after this, like a revoked
   * one, and the session cookie's Max-Age is the same. npm and twine tokens and `npm login` never expire.
   */
  WEB_CONSOLE_SESSION_TTL_MS: milliseconds.min(60_000).max(2_592_000_000).default(43_200_000),
});

/** The HttpServerEnv variables as `startHttpServer`'s `timeouts` option. */
export function httpServerTimeouts(cfg: HttpServerSettings): { headersMs: number; requestMs: number; idleMs: number; keepAliveMs: number } {
  return { headersMs: cfg.HTTP_HEADERS_TIMEOUT_MS, requestMs: cfg.HTTP_REQUEST_TIMEOUT_MS, idleMs: cfg.HTTP_IDLE_TIMEOUT_MS, keepAliveMs: cfg.HTTP_KEEP_ALIVE_TIMEOUT_MS };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isCidr(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY: which peers may set X-Forwarded-For/-Proto/-Host. `false` (none), a hop count (`1`: the one ingress in
 * front), or a comma-separated list of addresses and CIDRs (`10.0.0.0/8,loopback`). `true` (trust every peer, so
 * anyone can forge their address) is refused. The value is Express's "trust proxy" setting.
 */
export const trustProxy = z.string().transform((raw, ctx): false | number | string[] => {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'false' || value === 'no' || value === '0') return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  if (value === 'true' || value === 'yes') {
    ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY=true would trust a forged X-Forwarded-For from any client: give the number of proxies in front (e.g. 1) or their addresses as CIDRs (e.g. 10.0.0.0/8)' });
    return z.NEVER;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isCidr(e));
  if (bad.length > 0 || entries.length === 0) {
    ctx.addIssue({ code: 'custom', message: `not a hop count or a list of addresses/CIDRs: ${bad.join(', ') || raw}` });
    return z.NEVER;
  }
  return entries;
});

import { tmpdir } from 'node:os';
import { z } from 'zod';
import { FirewallEnv, releaseAge } from '@registry/policy-firewall';
import { HttpServerEnv, WebConsoleEnv, StorageEnv, trustProxy, httpUrl, logLevel, milliseconds, port, requireS3Settings, envBoolean, secondsToMs, type RenamedVariable } from '@registry/shared-config';

/** A comma-separated list of project names (normalized later), e.g. `internal-a, Internal_B`. */
const nameList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((n) => n.trim()).filter((n) => n !== ''));

/** Every variable pypi-proxy reads (README configuration table; same names in compose and Helm). */
export const PypiProxyEnv = StorageEnv.extend({
  ...HttpServerEnv.shape,
  ...WebConsoleEnv.shape,
  HOST: z.string().min(1).default('127.0.0.1'),
  PYPI_PROXY_PORT: port.default(8081),
  LOG_LEVEL: logLevel,
  /** Upstream simple index, e.g. https://<index host>/simple ; unset = private-only. */
  PYPI_UPSTREAM_URL: httpUrl.optional(),
  /**
   * `true`: a proxy whose upstream variable (PYPI_UPSTREAM_URL, NPM_UPSTREAM_URL) is unset uses the registry
   * this machine's own client uses (pip, npm; README "Upstreams"); `npm start` sets it. Off in every deployed
   * configuration: a deployment never guesses its upstream.
   */
  UPSTREAM_FROM_CLIENT_CONFIG: envBoolean.default(false),
  /** Base URL of the upstream's file host; only it and the index host are ever fetched. */
  PYPI_UPSTREAM_FILES_URL: httpUrl.optional(),
  /** Public base URL of this proxy, when it sits behind an ingress (file URLs in pages use it). */
  PYPI_PUBLIC_URL: httpUrl.optional(),
  /** How long an upstream project page is served before it is revalidated with its ETag (ms). */
  PYPI_METADATA_TTL_MS: milliseconds.default(300_000),
  /** How long the upstream root index `/simple/` (every project name, tens of MB) is believed (ms). */
  PYPI_ROOT_INDEX_TTL_MS: milliseconds.default(21_600_000),
  /** How long an upstream 404 is believed (ms). */
  PYPI_NOT_FOUND_TTL_MS: milliseconds.default(60_000),
  /** Cache-Control max-age sent with project pages (ms; sent in whole seconds). Short: uploads must show soon. */
  PYPI_METADATA_MAX_AGE_MS: milliseconds.default(60_000),
  /** Largest upstream project page accepted (bytes). */
  PYPI_MAX_METADATA_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** Projects with private uploads whose upstream files are still merged in (dependency-confusion opt-out). */
  PYPI_UPSTREAM_MERGE_ALLOWLIST: nameList,
  /**
   * Projects the upstream serves that a first upload here may still claim (hiding the public project), e.g.
   * `acme-*,internal-tools`; `*` wildcards, compared normalized. Other names the upstream serves are refused (403);
   * PYPI_UPSTREAM_MERGE_ALLOWLIST names are always claimable.
   */
  PYPI_CLAIMABLE_NAMES: nameList,
  /** Largest accepted upload, in bytes (PyPI's default is 100 MB). */
  PYPI_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  /** Where uploads are staged while they are hashed and checked. */
  PYPI_UPLOAD_TMP_DIR: z.string().min(1).default(tmpdir()),
  /** Upstream connect timeout (ms). */
  PYPI_UPSTREAM_CONNECT_TIMEOUT_MS: milliseconds.min(1).default(5_000),
  /**
   * While the upstream is marked unhealthy (after a failure or timeout; probed in the background with back-off),
   * how long a request for something not cached waits for the upstream's response headers (ms). Cached answers
   * never wait for an unhealthy upstream.
   */
  PYPI_UPSTREAM_UNHEALTHY_DEADLINE_MS: milliseconds.min(1).default(2_000),
  /**
   * Past the metadata TTL, how long a cached document is still served at once while it is revalidated in the
   * background (stale-while-revalidate, ms); older copies wait for the upstream. 0: always wait.
   */
  PYPI_METADATA_STALE_WHILE_REVALIDATE_MS: milliseconds.default(86_400_000),
  /** Upstream request timeout (headers and idle body, ms). */
  PYPI_UPSTREAM_TIMEOUT_MS: milliseconds.min(1).default(30_000),
  /**
   * How long an upload made through another instance may stay unseen by this one: a cached project page is
   * revalidated (one HEAD of the project document) at most this often. This instance's own uploads show at once.
   */
  PYPI_PRIVATE_RECHECK_MS: milliseconds.default(2_000),
  /**
   * How long a project another instance added (or one removed from the store) may be missing from (or stay on)
   * this instance's root page `/simple/`: the store is relisted in the background at least this often. This
   * instance's own uploads show at once; a listing costs one store LIST per 1,000 projects.
   */
  PYPI_PROJECT_LIST_RECHECK_MS: milliseconds.default(30_000),
  /**
   * Memory budget of the metadata caches in bytes (rendered pages and their parsed data), LRU beyond it: 6/16 for
   * served pages, 6/16 for upstream copies, 3/16 for the upstream root index, 1/16 for provenance objects.
   * Sizing: a proxy takes ~80 MB at start, plus this budget, plus the V8 young generation and garbage under load
   * (~30-60 MB with the image's NODE_OPTIONS): the default (48 MiB) keeps it under 200 MB. A miss rebuilds from
   * the store, never upstream.
   */
  PYPI_METADATA_CACHE_BYTES: z.coerce.number().int().min(1024 * 1024).default(48 * 1024 * 1024),
  /** Memory budget (bytes) for hot files served from memory (each at most 1/8 of it and 4 MiB); 0 turns it off. */
  PYPI_FILE_CACHE_BYTES: z.coerce.number().int().min(0).default(24 * 1024 * 1024),
  /**
   * Anyone may read the index, project pages and files; false: every read needs a token or password (pip sends
   * them after the 401 challenge). The same rule as NPM_ANONYMOUS_READ; deployed values set it false.
   */
  PYPI_ANONYMOUS_READ: envBoolean.default(true),
  /** First admin, created at start when missing (shared with npm-proxy: one identity store). */
  REGISTRY_ADMIN_USER: z.string().min(1).optional(),
  REGISTRY_ADMIN_PASSWORD: z.string().min(1).optional(),
  /** gRPC address of the audit gateway; unset = audit off. */
  AUDIT_GATEWAY_ADDR: z.string().min(1).optional(),
  /** Shared secret of the proxies and the audit gateway, sent in every gRPC call (a secret; the gateway requires it off loopback). */
  AUDIT_GATEWAY_TOKEN: z.string().min(16).optional(),
  /** Peers allowed to set X-Forwarded-*: false, a hop count, or CIDRs (never `true`; README "Security"). */
  TRUST_PROXY: trustProxy.default(false),
  ...FirewallEnv.shape,
  /** The release-age cooldown of this registry alone (wins over REGISTRY_MIN_RELEASE_AGE; `0` turns it off here). */
  PYPI_MIN_RELEASE_AGE: releaseAge,
})
  .superRefine(requireS3Settings)
  .superRefine((cfg, ctx) => {
    if ((cfg.REGISTRY_ADMIN_USER === undefined) !== (cfg.REGISTRY_ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['REGISTRY_ADMIN_PASSWORD'], message: 'set REGISTRY_ADMIN_USER and REGISTRY_ADMIN_PASSWORD together' });
    }
  });

export type PypiProxyConfig = z.infer<typeof PypiProxyEnv>;

/** Old names that still work, with a deprecation warning at start-up (durations were seconds). */
export const PYPI_PROXY_RENAMED: readonly RenamedVariable[] = [
  { from: 'PYPI_METADATA_TTL_SECONDS', to: 'PYPI_METADATA_TTL_MS', convert: secondsToMs },
  { from: 'PYPI_NEGATIVE_TTL_SECONDS', to: 'PYPI_NOT_FOUND_TTL_MS', convert: secondsToMs },
  { from: 'PYPI_PAGE_CACHE_MAX_BYTES', to: 'PYPI_METADATA_CACHE_BYTES' },
];

import type { AuditClient } from '@registry/audit-client';
import { auditTrail } from '@registry/audit-http';
import { createIdentityService, type ManagedIdentityService } from '@registry/auth-identity';
import type { Logger } from '@registry/shared-logger';
import { createHttpApp, finishHttpApp, hotPathOf, registryReadiness, type HttpMetrics, type ServedApp } from '@registry/shared-http-server';
import { createUpstreamClient, type UpstreamHealthState } from '@registry/shared-upstream-http';
import { jsonDocumentAt, recheckedJsonDocument, type BlobStore } from '@registry/storage-blob-store';
import { downloadRedirectOf } from '@registry/storage-blob-store-from-config';
import { createNpmService, parsePublishRules, type PrivateAdvisories } from '@registry/npm-service';
import { normalizeNpmPath } from '@registry/npm-protocol';
import { parseUsageSnapshot, USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { createNpmUpstreamClient } from '@registry/npm-upstream';
import type { NpmProxyConfig } from './config';
import { createRoute, isDashPath, isWebPath, isWrite, onlyWhen, principalOf } from './http/route';
import { attestationRoutes, isAttestationsPath } from './routes/attestations.route';
import { distTagRoutes } from './routes/dist-tags.route';
import { metaRoutes } from './routes/meta.route';
import { packumentRoutes } from './routes/packument.route';
import { policyRoutes } from '@registry/policy-http';
import { bulkFromFeed, firewallSettingsOf, policyAdmin, POLICY_DOCUMENT_KEY, startFirewall, type PolicyDocument, type RunningFirewall } from '@registry/policy-firewall';
import { tarballRoutes } from './routes/tarball.route';
import { userRoutes } from './routes/user.route';
import { adminUserRoutes } from './routes/admin-users.route';
import { writeRoutes } from './routes/write.route';
import { webRoutes } from './routes/web.route';
import { publishRulesView } from './web/publish-rules-view';

/** What createApp needs besides the configuration: the parts main.ts (or a test) owns and closes. */
export interface AppDeps {
  store: BlobStore;
  audit: AuditClient;
  logger: Logger;
  metrics: HttpMetrics;
  /** Advisories for packages an `npm audit` must not name upstream (the firewall's advisory feed); optional. */
  privateAdvisories?: PrivateAdvisories;
  now?: () => number;
}

/** The app, the identity service it uses (a test creates users there), and `close` for its upstream connections. */
export interface RegistryApp extends ServedApp {
  identity: ManagedIdentityService;
  /** The upstream's circuit breaker (absent when private-only): its `transition` events tell a test it tripped or healed. */
  upstreamHealth?: UpstreamHealthState;
}

const MAX_SEARCH_SIZE = 250;

/**
 * The npm registry, wired from its configuration: main.ts and every test build it here. Route order follows
 * protocols §9: meta routes, then tarballs, then packuments; scoped names are normalized first (protocols §3.1).
 */
export async function createApp(config: NpmProxyConfig, deps: AppDeps): Promise<RegistryApp> {
  const { store, audit, logger } = deps;
  const http = config.NPM_UPSTREAM_URL === undefined ? undefined : createUpstreamClient({
    allowedOrigins: [new URL(config.NPM_UPSTREAM_URL).origin], userAgent: 'registry-npm-proxy', logger, maxSockets: 64,
    connectTimeoutMs: config.NPM_UPSTREAM_CONNECT_TIMEOUT_MS, headersTimeoutMs: config.NPM_UPSTREAM_TIMEOUT_MS, bodyTimeoutMs: config.NPM_UPSTREAM_TIMEOUT_MS,
    health: { name: 'npm', probeUrl: config.NPM_UPSTREAM_URL, unhealthyDeadlineMs: config.NPM_UPSTREAM_UNHEALTHY_DEADLINE_MS, metrics: deps.metrics },
  });
  if (http === undefined) logger.warn('NPM_UPSTREAM_URL is unset: running private-only (no pull-through cache)');
  if (config.NPM_SIGNING_KEY) logger.info({ keyid: config.NPM_SIGNING_KEY.keyid }, 'signing private versions (registry signatures)');
  else logger.warn('NPM_SIGNING_KEY is unset: private versions are published without registry signatures');
  const firewall = await startFirewall({
    settings: firewallSettingsOf(config, config.NPM_MIN_RELEASE_AGE), now: deps.now ?? Date.now,
    documents: jsonDocumentAt<PolicyDocument>(deps.store, POLICY_DOCUMENT_KEY, { exemptions: [] }),
    onRefreshError: (err) => deps.logger.warn({ err }, 'could not reread the firewall exemptions; keeping the last set'),
  });
  const publishRules = parsePublishRules(config.NPM_PUBLISH_RULES);
  const npm = createNpmService({
    store, logger,
    upstream: http && config.NPM_UPSTREAM_URL ? createNpmUpstreamClient({ baseUrl: config.NPM_UPSTREAM_URL, http, maxPackumentBytes: config.NPM_MAX_METADATA_BYTES }) : undefined,
    policy: { privateScopes: new Set(config.NPM_PRIVATE_SCOPES), mergeAllowlist: new Set(config.NPM_UPSTREAM_MERGE_ALLOWLIST) },
    publishRules,
    claimableNames: config.NPM_CLAIMABLE_NAMES,
    metadataTtlMs: config.NPM_METADATA_TTL_MS,
    notFoundTtlMs: config.NPM_NOT_FOUND_TTL_MS,
    staleWhileRevalidateMs: config.NPM_METADATA_STALE_WHILE_REVALIDATE_MS,
    ...(http ? { upstreamHealth: http.health } : {}),
    metadataCacheEntries: config.NPM_METADATA_CACHE_ENTRIES,
    metadataCacheBytes: config.NPM_METADATA_CACHE_BYTES,
    privateRecheckMs: config.NPM_PRIVATE_RECHECK_MS,
    tarballCacheBytes: config.NPM_TARBALL_CACHE_BYTES,
    signing: { keys: config.NPM_SIGNING_KEY ? [config.NPM_SIGNING_KEY] : [], retired: config.NPM_RETIRED_SIGNING_KEYS },
    ...privateAdvisoriesOf(deps, firewall),
    firewall: firewall.firewall,
    ...downloadRedirectOf(config),
    ...(deps.now ? { now: deps.now } : {}),
  });
  // The app's clock: a console session expires by it, and the console tells a usage snapshot's age by it.
  const now = deps.now ?? Date.now;
  const identity = createIdentityService({ store, logger, clock: () => new Date(now()), allowSignup: config.NPM_ALLOW_SIGNUP });
  if (config.REGISTRY_ADMIN_USER && config.REGISTRY_ADMIN_PASSWORD) await identity.ensureAdmin(config.REGISTRY_ADMIN_USER, config.REGISTRY_ADMIN_PASSWORD);

  const app = createHttpApp({
    logger, metrics: deps.metrics, trustProxy: config.TRUST_PROXY,
    readiness: registryReadiness(store, audit),
  });
  const route = createRoute(identity, { anonymousRead: config.NPM_ANONYMOUS_READ, anonymousMaxBodyBytes: config.NPM_ANONYMOUS_MAX_BODY_BYTES });
  // Packuments and tarballs take the kit's hot path: normalized and audited the same way, in front of the router.
  const hot = hotPathOf(app);
  hot.rewriteUrl(normalizeNpmPath);
  hot.use(auditTrail(audit, { metrics: deps.metrics }));
  // Every user, meta and dist-tag route lives under `/-/`, and write routes never answer a GET: skipping those
  // routers up front spares the hot reads (packuments, tarballs) a walk through ~20 routes each.
  app.use(onlyWhen(isDashPath, userRoutes({ identity, route, allowSignup: config.NPM_ALLOW_SIGNUP })));
  app.use(onlyWhen(isDashPath, adminUserRoutes({ identity, route })));
  app.use(onlyWhen(isDashPath, metaRoutes({ npm, route, maxSearchSize: MAX_SEARCH_SIZE })));
  app.use(onlyWhen(isDashPath, distTagRoutes({ npm, route })));
  const policy = policyAdmin(firewall);
  app.use(onlyWhen(isWebPath, webRoutes({
    npm, route, identity, policy, peerUrl: config.WEB_CONSOLE_PEER_URL, peerSearchUrl: config.WEB_CONSOLE_PEER_SEARCH_URL, sessionTtlMs: config.WEB_CONSOLE_SESSION_TTL_MS, publicUrl: config.NPM_PUBLIC_URL, allowedHosts: config.NPM_ALLOWED_HOSTS,
    publishRules: publishRulesView(config, publishRules),
    usage: recheckedJsonDocument(store, USAGE_SNAPSHOT_KEY, { recheckMs: config.WEB_CONSOLE_USAGE_RECHECK_MS, now, parse: parseUsageSnapshot }).read,
    now,
  })));
  app.use(onlyWhen(isDashPath, policyRoutes({ admin: policy, route, callerOf: (res) => principalOf(res).user })));
  // Before the tarball and packument routes: npm asks for attestations under a doubled path prefix (protocols §15).
  app.use(onlyWhen(isAttestationsPath, attestationRoutes({ npm, route, privateReads: !config.NPM_ANONYMOUS_READ })));
  app.use(tarballRoutes({ npm, route, hot }));
  app.use(onlyWhen(isWrite, writeRoutes({ npm, route, maxBodyBytes: config.NPM_MAX_PUBLISH_BYTES })));
  app.use(packumentRoutes({
    npm, route, hot, publicUrl: config.NPM_PUBLIC_URL, allowedHosts: config.NPM_ALLOWED_HOSTS, maxAgeSeconds: Math.round(config.NPM_METADATA_MAX_AGE_MS / 1000), privateReads: !config.NPM_ANONYMOUS_READ,
  }));
  return { app: finishHttpApp(app, logger), identity, ...(http ? { upstreamHealth: http.health } : {}), close: async () => {
    firewall.stop();
    await http?.close();
  } };
}

/** npm audit answers for withheld names: a test's own port, else the firewall's advisory feed (when configured). */
function privateAdvisoriesOf(deps: AppDeps, firewall: RunningFirewall): { privateAdvisories?: PrivateAdvisories } {
  if (deps.privateAdvisories) return { privateAdvisories: deps.privateAdvisories };
  const feed = firewall.advisories;
  return feed ? { privateAdvisories: { bulk: async (request) => bulkFromFeed(feed, request) } } : {};
}

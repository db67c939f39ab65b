import type { AuditClient } from '@registry/audit-client';
import { auditTrail } from '@registry/audit-http';
import { createIdentityService, type ManagedIdentityService } from '@registry/auth-identity';
import type { Logger } from '@registry/shared-logger';
import { createHttpApp, finishHttpApp, hotPathOf, registryReadiness, type HttpMetrics, type ServedApp } from '@registry/shared-http-server';
import { createUpstreamClient, type UpstreamHealthState } from '@registry/shared-upstream-http';
import { jsonDocumentAt, recheckedJsonDocument, type BlobStore } from '@registry/storage-blob-store';
import { downloadRedirectOf } from '@registry/storage-blob-store-from-config';
import { normalizeProjectName } from '@registry/pypi-protocol';
import { parseUsageSnapshot, USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { createPypiService } from '@registry/pypi-service';
import { createPypiUpstream } from '@registry/pypi-upstream';
import type { PypiProxyConfig } from './config';
import { createRoute, principalOf } from './http/route';
import { filesRouter } from './routes/files.route';
import { integrityRouter } from './routes/integrity.route';
import { manageRouter } from './routes/manage.route';
import { simpleRouter } from './routes/simple.route';
import { uploadRouter } from './routes/upload.route';
import { webRoutes } from './routes/web.route';
import { publishRulesView } from './web/publish-rules-view';
import { policyRoutes } from '@registry/policy-http';
import { firewallSettingsOf, policyAdmin, POLICY_DOCUMENT_KEY, startFirewall, type PolicyDocument } from '@registry/policy-firewall';

/** What createApp needs besides the configuration: the parts main.ts (or a test) owns and closes. */
export interface AppDeps {
  store: BlobStore;
  audit: AuditClient;
  logger: Logger;
  metrics: HttpMetrics;
  now?: () => number;
}

/** The app, the identity service it uses (a test creates users there), and `close` for its upstream connections. */
export interface RegistryApp extends ServedApp {
  identity: ManagedIdentityService;
  /** The upstream's circuit breaker (absent when private-only): its `transition` events tell a test it tripped or healed. */
  upstreamHealth?: UpstreamHealthState;
}

/** The PyPI index, wired from its configuration: main.ts and every test build it here (README "Routes"). */
export async function createApp(config: PypiProxyConfig, deps: AppDeps): Promise<RegistryApp> {
  const { store, audit, logger } = deps;
  const base = config.PYPI_PUBLIC_URL ?? '';
  // Only the index origin and the files origin are ever contacted (SSRF guard).
  const http = config.PYPI_UPSTREAM_URL === undefined ? undefined : createUpstreamClient({
    allowedOrigins: [config.PYPI_UPSTREAM_URL, ...(config.PYPI_UPSTREAM_FILES_URL ? [config.PYPI_UPSTREAM_FILES_URL] : [])].map((url) => new URL(url).origin),
    userAgent: 'registry-pypi-proxy', logger, maxSockets: 64,
    connectTimeoutMs: config.PYPI_UPSTREAM_CONNECT_TIMEOUT_MS, headersTimeoutMs: config.PYPI_UPSTREAM_TIMEOUT_MS, bodyTimeoutMs: config.PYPI_UPSTREAM_TIMEOUT_MS,
    health: { name: 'pypi', probeUrl: config.PYPI_UPSTREAM_URL, unhealthyDeadlineMs: config.PYPI_UPSTREAM_UNHEALTHY_DEADLINE_MS, metrics: deps.metrics },
  });
  if (http === undefined) logger.warn('PYPI_UPSTREAM_URL is unset: running private-only (no pull-through cache)');
  const firewall = await startFirewall({
    settings: firewallSettingsOf(config, config.PYPI_MIN_RELEASE_AGE), now: deps.now ?? Date.now,
    documents: jsonDocumentAt<PolicyDocument>(deps.store, POLICY_DOCUMENT_KEY, { exemptions: [] }),
    onRefreshError: (err) => deps.logger.warn({ err }, 'could not reread the firewall exemptions; keeping the last set'),
  });
  const pypi = createPypiService({
    store, logger,
    upstream: http && config.PYPI_UPSTREAM_URL ? createPypiUpstream({ client: http, indexUrl: config.PYPI_UPSTREAM_URL, ...(config.PYPI_UPSTREAM_FILES_URL ? { filesUrl: config.PYPI_UPSTREAM_FILES_URL } : {}), maxPageBytes: config.PYPI_MAX_METADATA_BYTES }) : undefined,
    fileUrl: (project, filename) => `${base}/files/${encodeURIComponent(project)}/${encodeURIComponent(filename)}`,
    simpleBase: `${base}/simple`,
    baseUrl: base,
    metadataTtlMs: config.PYPI_METADATA_TTL_MS,
    notFoundTtlMs: config.PYPI_NOT_FOUND_TTL_MS,
    rootIndexTtlMs: config.PYPI_ROOT_INDEX_TTL_MS,
    staleWhileRevalidateMs: config.PYPI_METADATA_STALE_WHILE_REVALIDATE_MS,
    ...(http ? { upstreamHealth: http.health } : {}),
    mergeAllowlist: config.PYPI_UPSTREAM_MERGE_ALLOWLIST.map(normalizeProjectName),
    // Normalized like names; `*` survives normalization, so patterns keep working.
    claimableNames: config.PYPI_CLAIMABLE_NAMES.map(normalizeProjectName),
    privateRecheckMs: config.PYPI_PRIVATE_RECHECK_MS,
    projectListRecheckMs: config.PYPI_PROJECT_LIST_RECHECK_MS,
    metadataCacheBytes: config.PYPI_METADATA_CACHE_BYTES,
    fileCacheBytes: config.PYPI_FILE_CACHE_BYTES,
    firewall: firewall.firewall,
    ...downloadRedirectOf(config),
    ...(deps.now ? { now: deps.now } : {}),
  });
  // The app's clock: a console session expires by it, and the console tells a usage snapshot's age by it.
  const now = deps.now ?? Date.now;
  const identity = createIdentityService({ store, logger, clock: () => new Date(now()), allowSignup: false });
  if (config.REGISTRY_ADMIN_USER && config.REGISTRY_ADMIN_PASSWORD) await identity.ensureAdmin(config.REGISTRY_ADMIN_USER, config.REGISTRY_ADMIN_PASSWORD);

  const app = createHttpApp({
    logger, metrics: deps.metrics, trustProxy: config.TRUST_PROXY,
    readiness: registryReadiness(store, audit),
  });
  const route = createRoute(identity, { anonymousRead: config.PYPI_ANONYMOUS_READ });
  // Pages and files take the kit's hot path: audited the same way, in front of the router.
  const hot = hotPathOf(app);
  hot.use(auditTrail(audit, { metrics: deps.metrics }));
  // Most requests first: Express tries routers in order, and installers read pages and files.
  const maxAgeSeconds = Math.round(config.PYPI_METADATA_MAX_AGE_MS / 1000);
  app.use(simpleRouter({ pypi, route, hot, maxAgeSeconds, privateReads: !config.PYPI_ANONYMOUS_READ }));
  app.use(filesRouter({ pypi, route, hot, privateReads: !config.PYPI_ANONYMOUS_READ }));
  app.use(integrityRouter({ pypi, route, maxAgeSeconds }));
  app.use(uploadRouter({ pypi, route, logger, tmpDir: config.PYPI_UPLOAD_TMP_DIR, maxFileBytes: config.PYPI_MAX_UPLOAD_BYTES }));
  app.use(manageRouter({ pypi, identity, route }));
  const policy = policyAdmin(firewall);
  app.use(policyRoutes({ admin: policy, route, callerOf: (res) => principalOf(res).user }));
  app.use(webRoutes({
    pypi, route, identity, policy, peerUrl: config.WEB_CONSOLE_PEER_URL, peerSearchUrl: config.WEB_CONSOLE_PEER_SEARCH_URL, sessionTtlMs: config.WEB_CONSOLE_SESSION_TTL_MS, publicUrl: config.PYPI_PUBLIC_URL, publishRules: publishRulesView(config),
    usage: recheckedJsonDocument(store, USAGE_SNAPSHOT_KEY, { recheckMs: config.WEB_CONSOLE_USAGE_RECHECK_MS, now, parse: parseUsageSnapshot }).read,
    now,
  }));
  return { app: finishHttpApp(app, logger), identity, ...(http ? { upstreamHealth: http.health } : {}), close: async () => {
    firewall.stop();
    pypi.close();
    await http?.close();
  } };
}

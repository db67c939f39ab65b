// Composition root (style §3.7): the only place that reads the environment and wires dependencies.
import { describeUpstream, loadConfig, redactConfig, upstreamFromClientConfig } from '@registry/shared-config';
import { createLogger } from '@registry/shared-logger';
import { createHttpApp, createHttpMetrics, finishHttpApp, onShutdown, startHttpServer } from '@registry/shared-http-server';
import { createBlobStore } from '@registry/storage-blob-store-from-config';
import { createUpstreamClient } from '@registry/shared-upstream-http';
import { createAuditClient, NoopAuditClient, type AuditClient } from '@registry/audit-client';
import { createIdentityService } from '@registry/auth-identity';
import { createNpmUpstreamClient } from '@registry/npm-upstream';
import { parsePublishRules } from '@registry/npm-service';
import { NpmProxyEnv } from './config';
import { mountNpmRegistry } from './app';
import { createReadThrough } from '@registry/storage-read-through';

async function main(): Promise<void> {
  const { env, origin } = upstreamFromClientConfig('npm', process.env);
  const config = loadConfig(NpmProxyEnv, env);
  const logger = createLogger({ name: 'npm-proxy', level: config.LOG_LEVEL });
  logger.info({ config: redactConfig(config) }, 'configuration');
  logger.info({ upstream: origin.source }, describeUpstream(origin));
  const metrics = createHttpMetrics('npm_proxy');
  const store = createBlobStore(config, logger);
  const audit: AuditClient = config.AUDIT_GATEWAY_ADDR
    ? createAuditClient({ address: config.AUDIT_GATEWAY_ADDR, logger, metrics: metrics.registry, metricsPrefix: 'npm_proxy' })
    : new NoopAuditClient();
  if (!config.AUDIT_GATEWAY_ADDR) logger.warn('AUDIT_GATEWAY_ADDR is unset: audit events are not recorded');
  const identity = createIdentityService({ store, logger, allowSignup: config.NPM_ALLOW_SIGNUP });
  if (config.REGISTRY_ADMIN_USER && config.REGISTRY_ADMIN_PASSWORD) await identity.ensureAdmin(config.REGISTRY_ADMIN_USER, config.REGISTRY_ADMIN_PASSWORD);
  const http = config.NPM_UPSTREAM_URL
    ? createUpstreamClient({
        allowedOrigins: [new URL(config.NPM_UPSTREAM_URL).origin], userAgent: 'registry-npm-proxy', logger, maxSockets: 64,
        connectTimeoutMs: 10_000, headersTimeoutMs: config.NPM_UPSTREAM_TIMEOUT_SECONDS * 1000, bodyTimeoutMs: config.NPM_UPSTREAM_TIMEOUT_SECONDS * 1000,
      })
    : undefined;
  if (!http) logger.warn('NPM_UPSTREAM_URL is unset: running private-only (no pull-through cache)');
  const upstream = http && config.NPM_UPSTREAM_URL
    ? createNpmUpstreamClient({ baseUrl: config.NPM_UPSTREAM_URL, http, maxPackumentBytes: config.NPM_MAX_PACKUMENT_BYTES })
    : undefined;

  const app = createHttpApp({
    logger, metrics, trustProxy: config.TRUST_PROXY,
    readiness: [
      { name: 'store', check: () => store.ping() },
      { name: 'audit', critical: false, check: async () => { if (!audit.isHealthy()) throw new Error('audit gateway unreachable'); } },
    ],
  });
  mountNpmRegistry(app, { store, upstream, readThrough: createReadThrough({ store, logger }), identity, audit, logger }, {
    publicUrl: config.NPM_PUBLIC_URL,
    anonymousRead: config.NPM_ANONYMOUS_READ,
    allowSignup: config.NPM_ALLOW_SIGNUP,
    policy: { privateScopes: new Set(config.NPM_PRIVATE_SCOPES), mergeAllowList: new Set(config.NPM_UPSTREAM_MERGE_ALLOWLIST) },
    publishRules: parsePublishRules(config.NPM_PUBLISH_RULES),
    metadataTtlMs: config.NPM_METADATA_TTL_SECONDS * 1000,
    notFoundTtlMs: config.NPM_NOT_FOUND_TTL_SECONDS * 1000,
    maxCachedPackages: config.NPM_PACKUMENT_CACHE_ENTRIES,
    maxCachedBytes: config.NPM_PACKUMENT_CACHE_BYTES,
    localRevalidateMs: config.NPM_LOCAL_REVALIDATE_MS,
    tarballCacheBytes: config.NPM_TARBALL_CACHE_BYTES,
    packumentMaxAgeSeconds: config.NPM_PACKUMENT_MAX_AGE_SECONDS,
    maxPublishBytes: config.NPM_MAX_PUBLISH_BYTES,
    maxSearchSize: 250,
  });
  finishHttpApp(app, logger);
  const server = await startHttpServer(app, { host: config.HOST, port: config.NPM_PROXY_PORT, logger, name: 'npm-proxy' });
  onShutdown(logger, [() => server.close(), () => audit.close(5_000), async () => http?.close()]);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

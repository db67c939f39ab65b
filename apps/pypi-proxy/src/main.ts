// Composition root (style §3.7): the only place that reads the environment and wires dependencies.
import { describeUpstream, loadConfig, redactConfig, upstreamFromClientConfig } from '@registry/shared-config';
import { createLogger, type Logger } from '@registry/shared-logger';
import { createHttpMetrics, onShutdown, startHttpServer } from '@registry/shared-http-server';
import { createBlobStore } from '@registry/storage-blob-store-from-config';
import { createReadThrough } from '@registry/storage-read-through';
import { createUpstreamClient, type UpstreamClient } from '@registry/shared-upstream-http';
import { createAuditClient, NoopAuditClient, type AuditClient } from '@registry/audit-client';
import { createIdentityService } from '@registry/auth-identity';
import { createPypiUpstream } from '@registry/pypi-upstream';
import { normalizeProjectName } from '@registry/pypi-protocol';
import { createPypiService } from '@registry/pypi-service';
import { PypiProxyEnv, type PypiProxyConfig } from './config';
import { createPypiApp } from './app';

async function main(): Promise<void> {
  const { env, origin } = upstreamFromClientConfig('pypi', process.env);
  const config = loadConfig(PypiProxyEnv, env);
  const logger = createLogger({ name: 'pypi-proxy', level: config.LOG_LEVEL });
  logger.info({ config: redactConfig(config) }, 'configuration');
  logger.info({ upstream: origin.source }, describeUpstream(origin));
  const metrics = createHttpMetrics('pypi_proxy');
  const store = createBlobStore(config, logger);
  const audit: AuditClient = config.AUDIT_GATEWAY_ADDR
    ? createAuditClient({ address: config.AUDIT_GATEWAY_ADDR, logger, metrics: metrics.registry, metricsPrefix: 'pypi_proxy' })
    : new NoopAuditClient();
  if (!config.AUDIT_GATEWAY_ADDR) logger.warn('AUDIT_GATEWAY_ADDR is unset: audit events are not recorded');
  const identity = createIdentityService({ store, logger, allowSignup: false });
  if (config.REGISTRY_ADMIN_USER && config.REGISTRY_ADMIN_PASSWORD) await identity.ensureAdmin(config.REGISTRY_ADMIN_USER, config.REGISTRY_ADMIN_PASSWORD);
  const upstreamClient = createUpstream(config, logger);
  const base = config.PYPI_PUBLIC_URL ?? '';
  const service = createPypiService({
    store, audit, logger,
    readThrough: createReadThrough({ store, logger }),
    upstream: upstreamClient && config.PYPI_UPSTREAM_URL ? createPypiUpstream({ client: upstreamClient, indexUrl: config.PYPI_UPSTREAM_URL }) : undefined,
    fileUrl: (project, filename) => `${base}/files/${encodeURIComponent(project)}/${encodeURIComponent(filename)}`,
    simpleBase: `${base}/simple`,
    metadataTtlMs: config.PYPI_METADATA_TTL_SECONDS * 1000,
    negativeTtlMs: config.PYPI_NEGATIVE_TTL_SECONDS * 1000,
    mergeAllowlist: config.PYPI_UPSTREAM_MERGE_ALLOWLIST.map(normalizeProjectName),
    privateRecheckMs: config.PYPI_PRIVATE_RECHECK_MS,
    pageCacheMaxBytes: config.PYPI_PAGE_CACHE_MAX_BYTES,
  });
  const app = createPypiApp({
    service, identity, logger, metrics, trustProxy: config.TRUST_PROXY,
    uploadTmpDir: config.PYPI_UPLOAD_TMP_DIR, maxUploadBytes: config.PYPI_MAX_UPLOAD_BYTES,
    readiness: [
      { name: 'store', check: () => store.ping() },
      { name: 'audit', critical: false, check: async () => { if (!audit.isHealthy()) throw new Error('audit gateway unreachable'); } },
    ],
  });
  const server = await startHttpServer(app, { host: config.HOST, port: config.PYPI_PROXY_PORT, logger, name: 'pypi-proxy' });
  onShutdown(logger, [() => server.close(), () => audit.close(5_000), async () => upstreamClient?.close()]);
}

/** Only the index origin and the files origin are ever contacted (SSRF guard). */
function createUpstream(config: PypiProxyConfig, logger: Logger): UpstreamClient | undefined {
  if (!config.PYPI_UPSTREAM_URL) {
    logger.warn('PYPI_UPSTREAM_URL is unset: running private-only (no pull-through cache)');
    return undefined;
  }
  const origins = [new URL(config.PYPI_UPSTREAM_URL).origin];
  if (config.PYPI_UPSTREAM_FILES_URL) origins.push(new URL(config.PYPI_UPSTREAM_FILES_URL).origin);
  return createUpstreamClient({
    allowedOrigins: origins, userAgent: 'registry-pypi-proxy', logger, maxSockets: 64,
    connectTimeoutMs: config.PYPI_UPSTREAM_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.PYPI_UPSTREAM_TIMEOUT_MS,
    bodyTimeoutMs: config.PYPI_UPSTREAM_TIMEOUT_MS,
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

// The composition root: the only place that reads the environment; createApp (shared with the tests) wires the rest.
import { auditClientFor } from '@registry/audit-client';
import { describeUpstream, loadConfig, redactConfig, renamedVariablesInUse, upstreamFromClientConfig, httpServerTimeouts } from '@registry/shared-config';
import { createLogger } from '@registry/shared-logger';
import { createHttpMetrics, onShutdown, startHttpServer } from '@registry/shared-http-server';
import { createBlobStore } from '@registry/storage-blob-store-from-config';
import { releaseMemoryWhenIdle } from '@registry/shared-util';
import { NPM_PROXY_RENAMED, NpmProxyEnv } from './config';
import { createApp } from './app';

async function main(): Promise<void> {
  const { env, origin } = upstreamFromClientConfig('npm', process.env);
  const config = loadConfig(NpmProxyEnv, env, { renamed: NPM_PROXY_RENAMED });
  const logger = createLogger({ name: 'npm-proxy', level: config.LOG_LEVEL });
  for (const warning of renamedVariablesInUse(NPM_PROXY_RENAMED, process.env)) logger.warn(warning);
  logger.info({ config: redactConfig(config) }, 'configuration');
  logger.info({ upstream: origin.source }, describeUpstream(origin));
  const metrics = createHttpMetrics('npm_proxy');
  const store = await createBlobStore(config, logger);
  const audit = auditClientFor(config.AUDIT_GATEWAY_ADDR, { token: config.AUDIT_GATEWAY_TOKEN, logger, metrics: metrics.registry, metricsPrefix: 'npm_proxy' });
  const registry = await createApp(config, { store, audit, logger, metrics });
  const server = await startHttpServer(registry.app, { host: config.HOST, port: config.NPM_PROXY_PORT, logger, name: 'npm-proxy', timeouts: httpServerTimeouts(config) });
  // An idle proxy gives back what a burst of load left in the heap (the idle RSS goal, README "Benchmarks").
  const stopReleasingMemory = releaseMemoryWhenIdle();
  onShutdown(logger, [() => server.close(), () => audit.close(5_000), () => registry.close(), stopReleasingMemory]);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

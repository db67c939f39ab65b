// Composition root (style §3.7): the only place that reads the environment and wires dependencies.
import { loadConfig, redactConfig } from '@registry/shared-config';
import { createLogger } from '@registry/shared-logger';
import { createHttpApp, createHttpMetrics, finishHttpApp, onShutdown, startHttpServer } from '@registry/shared-http-server';
import { PypiProxyEnv } from './config';

async function main(): Promise<void> {
  const config = loadConfig(PypiProxyEnv);
  const logger = createLogger({ name: 'pypi-proxy', level: config.LOG_LEVEL });
  logger.info({ config: redactConfig(config) }, 'configuration');
  if (!config.PYPI_UPSTREAM_URL) logger.warn('PYPI_UPSTREAM_URL is unset: running private-only (no pull-through cache)');
  const metrics = createHttpMetrics('pypi_proxy');
  const app = finishHttpApp(createHttpApp({ logger, metrics, trustProxy: config.TRUST_PROXY }), logger);
  const server = await startHttpServer(app, { host: config.HOST, port: config.PYPI_PROXY_PORT, logger, name: 'pypi-proxy' });
  onShutdown(logger, [() => server.close()]);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

// Composition root (style §3.7): the only place that reads the environment and wires dependencies.
import { loadConfig, redactConfig } from '@registry/shared-config';
import { createLogger } from '@registry/shared-logger';
import { createHttpApp, createHttpMetrics, finishHttpApp, onShutdown, startHttpServer } from '@registry/shared-http-server';
import { NpmProxyEnv } from './config';

async function main(): Promise<void> {
  const config = loadConfig(NpmProxyEnv);
  const logger = createLogger({ name: 'npm-proxy', level: config.LOG_LEVEL });
  logger.info({ config: redactConfig(config) }, 'configuration');
  if (!config.NPM_UPSTREAM_URL) logger.warn('NPM_UPSTREAM_URL is unset: running private-only (no pull-through cache)');
  const metrics = createHttpMetrics('npm_proxy');
  const app = finishHttpApp(createHttpApp({ logger, metrics, trustProxy: config.TRUST_PROXY }), logger);
  const server = await startHttpServer(app, { host: config.HOST, port: config.NPM_PROXY_PORT, logger, name: 'npm-proxy' });
  onShutdown(logger, [() => server.close()]);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

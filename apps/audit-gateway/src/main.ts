// Composition root (style §3.7): the only place that reads the environment and wires dependencies.
import { loadConfig, redactConfig, httpServerTimeouts } from '@registry/shared-config';
import { createLogger } from '@registry/shared-logger';
import { createHttpApp, createHttpMetrics, finishHttpApp, onShutdown, startHttpServer } from '@registry/shared-http-server';
import { AuditGatewayEnv } from './config';
import { createAuditSink } from './create-audit-sink';
import { createGatewayMetrics } from './gateway-metrics';
import { createAuditService } from './grpc/audit-service';
import { startGrpcServer } from './grpc/start-grpc-server';

async function main(): Promise<void> {
  const config = loadConfig(AuditGatewayEnv);
  const logger = createLogger({ name: 'audit-gateway', level: config.LOG_LEVEL });
  logger.info({ config: redactConfig(config) }, 'configuration');
  if (!config.KAFKA_BROKERS) logger.warn('KAFKA_BROKERS is unset: audit disabled, events are counted and not produced');
  const metrics = createHttpMetrics('audit_gateway');
  const gatewayMetrics = createGatewayMetrics(metrics.registry);
  const sink = await createAuditSink(config, gatewayMetrics, logger);
  const readiness = [{ name: 'kafka', check: () => sink.checkReady() }];
  const app = finishHttpApp(createHttpApp({ logger, metrics, readiness }), logger);
  const http = await startHttpServer(app, { host: config.HOST, port: config.AUDIT_GATEWAY_HTTP_PORT, logger, name: 'audit-gateway (http)', timeouts: httpServerTimeouts(config) });
  const grpc = await startGrpcServer(createAuditService({ sink, metrics: gatewayMetrics, logger, token: config.AUDIT_GATEWAY_TOKEN }), {
    host: config.HOST,
    port: config.AUDIT_GATEWAY_PORT,
    logger,
  });
  // gRPC first (no new batches), then the sink drains to Kafka, then the HTTP probes go.
  onShutdown(logger, [() => grpc.close(), () => sink.close(15_000), () => http.close()]);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

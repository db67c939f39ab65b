import { z } from 'zod';
import { HttpServerEnv, logLevel, port } from '@registry/shared-config';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const positiveInt = z.coerce.number().int().positive();

/** Every variable audit-gateway reads. Unset KAFKA_BROKERS = audit disabled: events are counted, never produced. */
export const AuditGatewayEnv = z.object({
  ...HttpServerEnv.shape,
  HOST: z.string().min(1).default('127.0.0.1'),
  AUDIT_GATEWAY_PORT: port.default(50051),
  /** HTTP port for /-/health, /-/ready and /metrics. */
  AUDIT_GATEWAY_HTTP_PORT: port.default(8083),
  LOG_LEVEL: logLevel,
  KAFKA_BROKERS: z
    .string()
    .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'each broker must be host:port')).min(1))
    .optional(),
  KAFKA_AUDIT_TOPIC: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/).default('audit-events'),
  /** Used only when the gateway creates the topic at start-up (admin API). */
  KAFKA_AUDIT_PARTITIONS: positiveInt.default(3),
  KAFKA_AUDIT_REPLICATION_FACTOR: positiveInt.default(1),
  /** How long one produce may wait for Kafka's acknowledgement before the batch goes to the spool. */
  KAFKA_ACK_TIMEOUT_MS: positiveInt.default(5_000),
  /** How long the producer waits to merge concurrent batches into one Kafka request. */
  KAFKA_LINGER_MS: z.coerce.number().int().min(0).default(5),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Bound of the on-disk spool (DATA_DIR/audit-spool); when full, clients get RESOURCE_EXHAUSTED. */
  AUDIT_SPOOL_MAX_BYTES: positiveInt.default(1024 ** 3),
  /** The retry hint sent with RESOURCE_EXHAUSTED (gRPC metadata grpc-retry-pushback-ms). */
  AUDIT_SPOOL_RETRY_AFTER_MS: positiveInt.default(1_000),
  /**
   * Shared secret every caller sends in its gRPC metadata (the proxies' AUDIT_GATEWAY_TOKEN); a secret, at least
   * 16 characters. Required unless HOST is loopback: a reachable gateway never accepts anonymous events.
   */
  AUDIT_GATEWAY_TOKEN: z.string().min(16).optional(),
}).superRefine((cfg, ctx) => {
  if (cfg.AUDIT_GATEWAY_TOKEN === undefined && !LOOPBACK.has(cfg.HOST)) {
    ctx.addIssue({ code: 'custom', path: ['AUDIT_GATEWAY_TOKEN'], message: `required when HOST=${cfg.HOST} is not loopback: callers must authenticate (README "Security")` });
  }
});

export type AuditGatewayConfig = z.infer<typeof AuditGatewayEnv>;

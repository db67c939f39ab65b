import { z } from 'zod';
import { logLevel, port } from '@registry/shared-config';

/** Every variable audit-gateway reads. Unset KAFKA_BROKERS = audit disabled: events are counted, never produced. */
export const AuditGatewayEnv = z.object({
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
  DATA_DIR: z.string().min(1).default('./data'),
});

export type AuditGatewayConfig = z.infer<typeof AuditGatewayEnv>;

import path from 'node:path';
import type { Logger } from '@registry/shared-logger';
import type { AuditGatewayConfig } from './config';
import type { GatewayMetrics } from './gateway-metrics';
import type { AuditSink } from './sink/audit-sink';
import { DisabledSink } from './sink/disabled-sink';
import { DurableSink } from './sink/durable-sink';
import { createKafkaEventProducer } from './sink/kafka-event-producer';
import { Spool } from './sink/spool';

/** KAFKA_BROKERS set: Kafka with the fsync'd spool under DATA_DIR/audit-spool; unset: disabled. */
export async function createAuditSink(config: AuditGatewayConfig, metrics: GatewayMetrics, logger: Logger): Promise<AuditSink> {
  if (!config.KAFKA_BROKERS) return new DisabledSink(metrics);
  const producer = createKafkaEventProducer({
    brokers: config.KAFKA_BROKERS,
    topic: config.KAFKA_AUDIT_TOPIC,
    partitions: config.KAFKA_AUDIT_PARTITIONS,
    replicationFactor: config.KAFKA_AUDIT_REPLICATION_FACTOR,
    lingerMs: config.KAFKA_LINGER_MS,
    logger,
  });
  const spool = new Spool(path.join(config.DATA_DIR, 'audit-spool'), {
    maxBytes: config.AUDIT_SPOOL_MAX_BYTES,
    segmentBytes: Math.min(16 * 1024 * 1024, config.AUDIT_SPOOL_MAX_BYTES),
    retryAfterMs: config.AUDIT_SPOOL_RETRY_AFTER_MS,
    logger,
  });
  const sink = new DurableSink({ producer, spool, metrics, logger, ackTimeoutMs: config.KAFKA_ACK_TIMEOUT_MS });
  await sink.start();
  return sink;
}

import { CompressionTypes, Kafka, logLevel, type Producer, type LogEntry } from 'kafkajs';
import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import type { AuditRecord } from './audit-record';
import type { EventProducer } from './event-producer';
import { LingerBatcher } from './linger-batcher';

export interface KafkaProducerOptions {
  brokers: string[];
  topic: string;
  partitions: number;
  replicationFactor: number;
  lingerMs: number;
  logger: Logger;
}

/** The only kafkajs user (style §2.1 "Kafka"): admin for the topic, an idempotent producer for events. */
export function createKafkaEventProducer(opts: KafkaProducerOptions): EventProducer {
  const kafka = new Kafka({
    clientId: 'audit-gateway',
    brokers: opts.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => opts.logger.warn({ kafka: entry.log, namespace: entry.namespace }, entry.log.message),
    // Few quick retries: while the broker is away the gateway spools instead of waiting.
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
  let producer: Producer | undefined;
  // kafkajs has no linger.ms: merge the batches of concurrent gRPC calls into one request ourselves,
  // capped below the broker's default message.max.bytes (1 MiB per partition batch) even uncompressed.
  const batcher = new LingerBatcher<AuditRecord>({
    lingerMs: opts.lingerMs,
    maxBytes: 900 * 1024,
    sizeOf: (r) => r.key.length + r.value.length + 32,
    send: async (records) => {
      if (!producer) throw new AppError('unavailable', 'Kafka producer not connected');
      await producer.send({ topic: opts.topic, acks: -1, compression: CompressionTypes.GZIP, messages: records });
    },
  });

  return {
    async connect() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: opts.topic, numPartitions: opts.partitions, replicationFactor: opts.replicationFactor }],
        });
        const meta = await admin.fetchTopicMetadata({ topics: [opts.topic] });
        if (meta.topics[0]?.partitions.some((p) => p.leader < 0)) throw new Error(`topic ${opts.topic} has no leader yet`);
      } finally {
        await admin.disconnect();
      }
      // A fresh producer on every (re)connect: after an outage kafkajs's idempotent producer can be left with
      // sequence numbers the broker refuses (OUT_OF_ORDER_SEQUENCE_NUMBER) on every later send, so the spool
      // never drained; only a new producer id starts the sequences again. What the old one had in flight is
      // still in the spool (a failed produce is spooled or its segment kept), so dropping it loses nothing.
      const previous = producer;
      producer = undefined;
      await previous?.disconnect().catch((err: unknown) => opts.logger.warn({ err }, 'disconnecting the previous Kafka producer failed'));
      // Idempotent producer: acks=all and one request in flight per broker (kafkajs requires it).
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: { retries: 3 } });
      await p.connect();
      producer = p;
    },
    produce: (records) => batcher.add(records),
    async disconnect() {
      await batcher.flush();
      await producer?.disconnect();
      producer = undefined;
    },
  };
}

import type { AuditRecord } from './audit-record';

/** The Kafka side of the durable sink (a fake in unit tests, kafkajs in production). */
export interface EventProducer {
  /**
   * Creates the topic if missing and connects a fresh producer, replacing any earlier one (the sink calls it
   * again after every failed produce); throws while the broker does not answer.
   */
  connect(): Promise<void>;
  /** Resolves when Kafka acknowledged every record (acks=all). */
  produce(records: AuditRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

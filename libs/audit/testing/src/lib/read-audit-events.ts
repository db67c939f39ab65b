import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ConsumedAuditMessage } from './consumed-audit-message';

export interface ReadAuditEventsOptions {
  brokers: string;
  topic: string;
  /** Stop as soon as this holds for everything read so far. */
  until: (messages: ConsumedAuditMessage[]) => boolean;
  timeoutMs: number;
}

/** Reads the topic from the beginning with a fresh consumer group until `until` holds (or fails on timeout). */
export async function readAuditEvents(opts: ReadAuditEventsOptions): Promise<ConsumedAuditMessage[]> {
  const kafka = new Kafka({ clientId: 'audit-testing', brokers: opts.brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `audit-testing-${randomUUID()}` });
  const messages: ConsumedAuditMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: opts.topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`readAuditEvents: condition not met after ${opts.timeoutMs} ms (${messages.length} messages read from ${opts.topic})`)),
        opts.timeoutMs,
      );
      const finish = () => {
        clearTimeout(timer);
        resolve();
      };
      if (opts.until(messages)) return finish();
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const value = message.value?.toString('utf8') ?? '';
            messages.push({ key: message.key?.toString('utf8') ?? '', value, event: JSON.parse(value) });
            if (opts.until(messages)) finish();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

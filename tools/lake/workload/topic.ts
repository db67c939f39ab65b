import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

const kafkaOf = (brokers: string) => new Kafka({ clientId: 'lake-workload', brokers: brokers.split(','), logLevel: logLevel.NOTHING });

/** Every message value of the topic up to its current end (the high watermarks), in partition order. */
export async function readWholeTopic(brokers: string, topic: string, timeoutMs = 60_000): Promise<string[]> {
  const kafka = kafkaOf(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const total = ends.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const events: string[] = [];
  if (total === 0) return events;
  const consumer = kafka.consumer({ groupId: `lake-workload-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${events.length} of ${total} messages of ${topic} in ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            events.push(message.value?.toString('utf8') ?? '');
            if (events.length >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return events;
}

/**
 * Messages the gateway would never write (it validates every event): one that is not JSON and one without
 * its timestamp. Produced straight to the topic so the lake job's dead-letter path sees real broker records.
 */
export const MALFORMED_MESSAGES = [
  '{"timestamp": "2026-11-24T09:00:00.000Z", "event_type": ',
  '{"registry": "npm", "action": "download"}',
];

export async function produceMalformed(brokers: string, topic: string): Promise<void> {
  const producer = kafkaOf(brokers).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: MALFORMED_MESSAGES.map((value) => ({ key: 'npm:malformed', value })) });
  } finally {
    await producer.disconnect();
  }
}

import { readAuditEvents } from './read-audit-events';
import { startAuditGateway, type RunningAuditGateway } from './start-audit-gateway';
import type { ConsumedAuditMessage } from './consumed-audit-message';

export type AuditEvent = ConsumedAuditMessage['event'];

/** What an e2e suite audits into (both registries' suites): the real gateway on a topic of its own, and its reader. */
export interface AuditedTopic {
  gateway: RunningAuditGateway;
  topic: string;
  /** Reads the topic from its beginning until `until` holds of every event read so far (fails after 60 s). */
  events(until: (events: AuditEvent[]) => boolean): Promise<AuditEvent[]>;
}

export async function startAuditedTopic(opts: { kafkaBrokers: string[]; topic: string; dataDir: string }): Promise<AuditedTopic> {
  const brokers = opts.kafkaBrokers.join(',');
  const gateway = await startAuditGateway({ kafkaBrokers: brokers, topic: opts.topic, dataDir: opts.dataDir });
  return {
    gateway, topic: opts.topic,
    events: async (until) => {
      const messages = await readAuditEvents({ brokers, topic: opts.topic, timeoutMs: 60_000, until: (m) => until(m.map((x) => x.event)) });
      return messages.map((m) => m.event);
    },
  };
}

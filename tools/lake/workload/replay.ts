import { createAuditClient } from '@registry/audit-client';
import type { AuditEvent } from '@registry/audit-event';
import { createLogger } from '@registry/shared-logger';

/**
 * At-least-once delivery, for real: events already in Kafka are recorded again through a second audit
 * client and the real gateway, with the same event_id (and timestamp, request id, fields). The lake job
 * must keep one copy of each.
 */
export async function replayThroughGateway(address: string, events: AuditEvent[]): Promise<void> {
  const logger = createLogger({ name: 'lake-workload-replay', level: 'warn', destination: process.stderr });
  const client = createAuditClient({ address, logger, flushIntervalMs: 10 });
  for (const e of events) {
    const { event_id, request_id, ...extra } = e.extra;
    client.record({
      event_type: e.event_type, status_code: e.status_code, package: e.package, version: e.version, filename: e.filename,
      source: e.source, user_agent: e.user_agent, remote_addr: e.remote_addr, size: e.size,
      timestamp: new Date(e.timestamp), extra,
      ...(event_id ? { event_id } : {}),
      ...(request_id ? { request_id } : {}),
    });
  }
  await client.close(15_000);
}

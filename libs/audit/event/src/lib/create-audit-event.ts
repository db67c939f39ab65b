import { nextEventId } from './event-id';
import { isoTimestamp } from './iso-timestamp';
import { ACTION_OF_EVENT_TYPE, EVENT_TYPES, type AuditEvent, type AuditEventInput, type AuditEventType, type AuditRegistry } from './audit-event';

const REGISTRY_OF_EVENT_TYPE = Object.fromEntries(EVENT_TYPES.map((t) => [t, t.split('.')[0]])) as Record<AuditEventType, AuditRegistry>;

/**
 * Builds a complete event from what the proxy knows: registry and action follow from the type. Called once per
 * audited request, so it allocates only the event and its `extra` (ids from a counter, the timestamp cached).
 */
export function createAuditEvent(input: AuditEventInput): AuditEvent {
  const registry = REGISTRY_OF_EVENT_TYPE[input.event_type] ?? (input.event_type.split('.')[0] as AuditRegistry);
  const extra: Record<string, string> = { ...input.extra };
  extra['event_id'] = input.event_id ?? extra['event_id'] ?? nextEventId();
  if (input.request_id !== undefined) extra['request_id'] = input.request_id;
  return {
    timestamp: input.timestamp === undefined ? isoTimestamp(Date.now()) : input.timestamp.toISOString(),
    event_type: input.event_type,
    registry,
    package: input.package ?? null,
    version: input.version ?? null,
    filename: input.filename ?? null,
    action: ACTION_OF_EVENT_TYPE[input.event_type],
    source: input.source ?? null,
    user_agent: input.user_agent ?? null,
    remote_addr: input.remote_addr ?? null,
    status_code: input.status_code,
    size: input.size ?? null,
    extra,
  };
}

/** The Kafka message value: the fields in their documented order. */
export function toAuditJson(event: AuditEvent): string {
  return JSON.stringify({
    timestamp: event.timestamp,
    event_type: event.event_type,
    registry: event.registry,
    package: event.package,
    version: event.version,
    filename: event.filename,
    action: event.action,
    source: event.source,
    user_agent: event.user_agent,
    remote_addr: event.remote_addr,
    status_code: event.status_code,
    size: event.size,
    extra: event.extra,
  });
}

/** The Kafka message key: one package's events stay in one partition, in order. */
export const auditMessageKey = (event: AuditEvent): string => `${event.registry}:${event.package ?? ''}`;

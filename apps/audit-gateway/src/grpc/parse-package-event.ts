import { ACTION_OF_EVENT_TYPE, type AuditEvent, type AuditEventType, type AuditSource } from '@registry/audit-event';
import type { PackageEvent } from '@registry/audit-proto';
import { AppError } from '@registry/shared-errors';

const ISO_MILLIS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SOURCES: readonly string[] = ['cache', 'upstream'] satisfies AuditSource[];
const MAX_TEXT = 4_096;
const MAX_EXTRA_CHARS = 16_384;

const isEventType = (t: string): t is AuditEventType => Object.hasOwn(ACTION_OF_EVENT_TYPE, t);

/**
 * Checks one wire event against the audit issue's schema and returns it as the Kafka JSON model
 * (absent optional = null). Throws AppError('invalid_request') naming the field.
 */
export function parsePackageEvent(e: PackageEvent, index: number): AuditEvent {
  const fail = (field: string, why: string): never => {
    throw new AppError('invalid_request', `events[${index}].${field}: ${why}`);
  };
  if (!isEventType(e.event_type)) return fail('event_type', `unknown event type "${e.event_type.slice(0, 64)}"`);
  const registry = e.event_type.split('.')[0] as AuditEvent['registry'];
  if (e.registry !== registry) fail('registry', `must be "${registry}" for ${e.event_type}`);
  const action = ACTION_OF_EVENT_TYPE[e.event_type];
  if (e.action !== action) fail('action', `must be "${action}" for ${e.event_type}`);
  if (!ISO_MILLIS_UTC.test(e.timestamp) || Number.isNaN(Date.parse(e.timestamp))) {
    fail('timestamp', 'must be ISO 8601 UTC with milliseconds and Z');
  }
  if (!Number.isInteger(e.status_code) || e.status_code < 100 || e.status_code > 599) fail('status_code', 'must be an HTTP status');
  if (e.size !== undefined && (!Number.isSafeInteger(e.size) || e.size < 0)) fail('size', 'must be a non-negative integer');
  if (e.source !== undefined && !SOURCES.includes(e.source)) fail('source', 'must be "cache" or "upstream"');
  if (!UUID.test(e.extra['event_id'] ?? '')) fail('extra.event_id', 'must be a UUID');
  for (const field of ['package', 'version', 'filename', 'user_agent', 'remote_addr'] as const) {
    if ((e[field]?.length ?? 0) > MAX_TEXT) fail(field, `longer than ${MAX_TEXT} characters`);
  }
  const extraChars = Object.entries(e.extra).reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (extraChars > MAX_EXTRA_CHARS) fail('extra', `larger than ${MAX_EXTRA_CHARS} characters in total`);
  return {
    timestamp: e.timestamp,
    event_type: e.event_type,
    registry,
    package: e.package ?? null,
    version: e.version ?? null,
    filename: e.filename ?? null,
    action,
    source: (e.source as AuditSource | undefined) ?? null,
    user_agent: e.user_agent ?? null,
    remote_addr: e.remote_addr ?? null,
    status_code: e.status_code,
    size: e.size ?? null,
    extra: { ...e.extra },
  };
}

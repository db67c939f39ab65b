import type { AuditEvent } from '@registry/audit-event';
import type { PackageEvent } from '@registry/audit-proto';

/** JSON null becomes an absent proto3 `optional` field; everything else is copied as is. */
export function toPackageEvent(event: AuditEvent): PackageEvent {
  const out: PackageEvent = {
    timestamp: event.timestamp,
    event_type: event.event_type,
    registry: event.registry,
    action: event.action,
    status_code: event.status_code,
    extra: event.extra,
  };
  if (event.package !== null) out.package = event.package;
  if (event.version !== null) out.version = event.version;
  if (event.filename !== null) out.filename = event.filename;
  if (event.source !== null) out.source = event.source;
  if (event.user_agent !== null) out.user_agent = event.user_agent;
  if (event.remote_addr !== null) out.remote_addr = event.remote_addr;
  if (event.size !== null) out.size = event.size;
  return out;
}

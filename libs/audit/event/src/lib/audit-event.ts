/** The 12 event types and the action each one carries (fixed: new facts go into `extra`, never into new types). */
export const ACTION_OF_EVENT_TYPE = {
  'pypi.package.download': 'download',
  'pypi.package.download.upstream': 'download',
  'pypi.package.upload': 'upload',
  'pypi.package.metadata': 'metadata',
  'pypi.index.list': 'metadata',
  'npm.package.download': 'download',
  'npm.package.download.upstream': 'download',
  'npm.package.publish': 'upload',
  'npm.package.metadata': 'metadata',
  'npm.user.login': 'login',
  'npm.dist-tags.update': 'metadata',
  'npm.search': 'search',
} as const;

export type AuditEventType = keyof typeof ACTION_OF_EVENT_TYPE;
export type AuditAction = (typeof ACTION_OF_EVENT_TYPE)[AuditEventType];
export type AuditRegistry = 'pypi' | 'npm';
export type AuditSource = 'cache' | 'upstream';

export const EVENT_TYPES = Object.keys(ACTION_OF_EVENT_TYPE) as AuditEventType[];
export const ACTIONS: readonly AuditAction[] = ['download', 'upload', 'metadata', 'search', 'login'];

/**
 * One audit event, exactly as it is written to Kafka (JSON, these fields in this order, null when unknown).
 * `extra` always carries `event_id` (UUID, for downstream de-duplication) and `request_id`.
 */
export interface AuditEvent {
  timestamp: string;
  event_type: AuditEventType;
  registry: AuditRegistry;
  package: string | null;
  version: string | null;
  filename: string | null;
  action: AuditAction;
  source: AuditSource | null;
  user_agent: string | null;
  remote_addr: string | null;
  status_code: number;
  size: number | null;
  extra: Record<string, string>;
}

/** The field order of the Kafka JSON, shared by the proto, Avro and Iceberg faces (kept equal by a test). */
export const AUDIT_EVENT_FIELDS = [
  'timestamp', 'event_type', 'registry', 'package', 'version', 'filename', 'action', 'source',
  'user_agent', 'remote_addr', 'status_code', 'size', 'extra',
] as const satisfies readonly (keyof AuditEvent)[];

/** What a proxy knows when it records an operation; the rest is derived or defaulted. */
export interface AuditEventInput {
  event_type: AuditEventType;
  status_code: number;
  package?: string | null;
  version?: string | null;
  filename?: string | null;
  source?: AuditSource | null;
  user_agent?: string | null;
  remote_addr?: string | null;
  size?: number | null;
  /** Request id is required so an event can be tied to the access log line. */
  request_id?: string;
  extra?: Record<string, string>;
  /** Defaults to now. */
  timestamp?: Date;
  /** Defaults to the next id of the process (UUID-shaped, see eventIdGenerator). */
  event_id?: string;
}

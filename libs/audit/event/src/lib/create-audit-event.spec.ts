import { ACTION_OF_EVENT_TYPE, AUDIT_EVENT_FIELDS, EVENT_TYPES } from './audit-event';
import { auditMessageKey, createAuditEvent, toAuditJson } from './create-audit-event';

describe('createAuditEvent', () => {
  it('derives registry and action from the type, and nulls what is not known', () => {
    for (const event_type of EVENT_TYPES) {
      const e = createAuditEvent({ event_type, status_code: 401 });
      expect(e.registry).toBe(event_type.split('.')[0]);
      expect(e.action).toBe(ACTION_OF_EVENT_TYPE[event_type]);
      expect([e.package, e.version, e.filename, e.source, e.user_agent, e.remote_addr, e.size]).toEqual([null, null, null, null, null, null, null]);
    }
  });

  it('gives every event a fresh UUID event_id and keeps the request id', () => {
    const a = createAuditEvent({ event_type: 'npm.search', status_code: 200, request_id: 'req-1' });
    const b = createAuditEvent({ event_type: 'npm.search', status_code: 200 });
    expect(a.extra['event_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.extra['event_id']).not.toBe(b.extra['event_id']);
    expect(a.extra['request_id']).toBe('req-1');
  });

  it('writes the timestamp as ISO 8601 UTC with milliseconds and Z', () => {
    const e = createAuditEvent({ event_type: 'pypi.index.list', status_code: 200, timestamp: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) });
    expect(e.timestamp).toBe('2026-01-02T03:04:05.006Z');
  });
});

describe('toAuditJson / auditMessageKey', () => {
  it('writes exactly the documented fields, in order, nulls included', () => {
    const json = toAuditJson(createAuditEvent({ event_type: 'npm.package.publish', status_code: 201, package: '@scope/pkg' }));
    expect(Object.keys(JSON.parse(json))).toEqual([...AUDIT_EVENT_FIELDS]);
    expect(JSON.parse(json).version).toBeNull();
  });

  it('keys a message by registry and package so one package stays in one partition', () => {
    expect(auditMessageKey(createAuditEvent({ event_type: 'npm.package.metadata', status_code: 200, package: '@scope/pkg' }))).toBe('npm:@scope/pkg');
    expect(auditMessageKey(createAuditEvent({ event_type: 'pypi.index.list', status_code: 200 }))).toBe('pypi:');
  });
});

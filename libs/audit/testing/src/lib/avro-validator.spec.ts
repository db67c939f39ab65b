import { createAuditEvent, EVENT_TYPES, toAuditJson } from '@registry/audit-event';
import { createAvroValidator } from './avro-validator';

describe('createAvroValidator (infra/avro/package-event.avsc)', () => {
  const avro = createAvroValidator();

  it.each(EVENT_TYPES)('accepts and round-trips a %s event, with and without optional fields', (event_type) => {
    const sparse = toAuditJson(createAuditEvent({ event_type, status_code: 404, request_id: 'r' }));
    const full = toAuditJson(createAuditEvent({
      event_type, status_code: 200, request_id: 'r', package: 'p', version: '1', filename: 'p-1.tgz',
      source: 'upstream', user_agent: 'ua', remote_addr: '127.0.0.1', size: 2 ** 40,
    }));
    for (const json of [sparse, full]) {
      expect(avro.errors(json)).toEqual([]);
      expect(avro.roundTrip(json)).toEqual(JSON.parse(json));
    }
  });

  it('rejects what the schema does not allow', () => {
    const ok = JSON.parse(toAuditJson(createAuditEvent({ event_type: 'npm.search', status_code: 200 })));
    expect(avro.errors(JSON.stringify({ ...ok, registry: null }))).toEqual(['registry']);
    expect(avro.errors(JSON.stringify({ ...ok, timestamp: '2026-01-01' }))).toEqual(['timestamp']);
    expect(avro.errors(JSON.stringify({ ...ok, size: 1.5 }))).toEqual(['size']);
    expect(avro.errors(JSON.stringify({ ...ok, surprise: 1 }))).toEqual(['surprise (not in the Avro schema)']);
  });
});

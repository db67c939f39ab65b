import { createAuditEvent, EVENT_TYPES, type AuditEvent } from '@registry/audit-event';
import { RecordBatchRequest } from '@registry/audit-proto';
import { RecordBatchEncoder } from './encode-record-batch';
import { toPackageEvent } from './to-package-event';

/** What the generated encoder writes for the same batch: the reference. */
const generated = (events: AuditEvent[]) => Buffer.from(RecordBatchRequest.encode({ events: events.map(toPackageEvent) }).finish());

const full = (over: Partial<AuditEvent> = {}): AuditEvent => ({
  ...createAuditEvent({
    event_type: 'npm.package.download', status_code: 200, package: '@scope/left-pad', version: '1.3.0', filename: 'left-pad-1.3.0.tgz',
    source: 'cache', user_agent: 'npm/10.8.2 node/v20.18.0 linux x64 workspaces/false', remote_addr: '::ffff:127.0.0.1', size: 10_240,
    request_id: 'r-1', extra: { user: 'alice', origin: 'private' },
  }),
  ...over,
});

describe('RecordBatchEncoder', () => {
  const encoder = new RecordBatchEncoder(64); // tiny on purpose: every batch below makes it grow
  /** A batch as the client sends it: each event encoded when recorded, the entries concatenated. */
  const batch = (events: readonly AuditEvent[]): Buffer => Buffer.concat(events.map((e) => encoder.encodeEntry(e)));

  it('writes byte for byte what the generated encoder writes, for every event type and for absent fields', () => {
    const events = EVENT_TYPES.map((event_type, i) => createAuditEvent({ event_type, status_code: 200 + i, request_id: `r${i}` }));
    expect(batch(events)).toEqual(generated(events));
    const one = [full()];
    expect(batch(one)).toEqual(generated(one));
  });

  it('keeps empty strings and zero sizes of optional fields, leaves out proto3 defaults', () => {
    const events = [full({ package: '', version: '', size: 0, timestamp: '', extra: { '': '', empty: '' } })];
    expect(batch(events)).toEqual(generated(events));
    const decoded = RecordBatchRequest.decode(batch(events)).events[0];
    expect([decoded?.package, decoded?.size, decoded?.extra]).toEqual(['', 0, { '': '', empty: '' }]);
  });

  it('writes long and non-ASCII text, and events and entries whose length needs one, two or three bytes', () => {
    const events = [
      full({ user_agent: 'ü'.repeat(42), filename: '🦀'.repeat(21), extra: { note: 'é'.repeat(40) } }),
      full({ user_agent: 'x'.repeat(43), version: 'ÿ'.repeat(200) }),
      full({ extra: { big: 'ä'.repeat(9_000) } }), // an entry and an event of > 16 KiB
      full({ package: null, version: null, filename: null, source: null, user_agent: null, remote_addr: null, size: null, extra: {} }),
      full({ user_agent: 'lone \ud800 surrogate' }),
    ];
    expect(batch(events)).toEqual(generated(events));
  });

  it('writes sizes above 2^32 and up to 2^53 exactly', () => {
    const events = [full({ size: 5 * 1024 ** 3 }), full({ size: Number.MAX_SAFE_INTEGER }), full({ size: 2 ** 32 })];
    expect(batch(events)).toEqual(generated(events));
    expect(RecordBatchRequest.decode(batch(events)).events.map((e) => e.size)).toEqual([5 * 1024 ** 3, Number.MAX_SAFE_INTEGER, 2 ** 32]);
  });

  it('turns numbers no gateway accepts into values it refuses, instead of failing the batch', () => {
    const events = [full({ status_code: 200.5 }), full({ size: -3 }), full({ size: Number.NaN }), full({ status_code: -1 })];
    const decoded = RecordBatchRequest.decode(batch(events)).events;
    expect(decoded.map((e) => [e.status_code, e.size])).toEqual([[0, 10_240], [200, -1], [200, -1], [-1, 10_240]]);
  });

  it('encodes one event as its entry of a request: entries concatenated are the batch', () => {
    const events = [full(), full({ package: null, extra: {} }), full({ extra: { big: 'ä'.repeat(9_000) } }), ...EVENT_TYPES.map((event_type) => createAuditEvent({ event_type, status_code: 200 }))];
    const entries = events.map((e) => encoder.encodeEntry(e));
    expect(Buffer.concat(entries)).toEqual(generated(events));
    expect(entries[0]).toEqual(generated([events[0]!])); // each entry its own buffer, not a view of the scratch space
  });

  it('encodes an empty batch as an empty request and reuses its buffer between batches', () => {
    expect(batch([])).toEqual(Buffer.alloc(0));
    const first = batch([full()]);
    const copy = Buffer.from(first);
    batch([full({ package: 'other' })]);
    expect(first).toEqual(copy); // each result is its own buffer
  });
});

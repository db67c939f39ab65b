import { PackageEvent, RecordBatchRequest } from './index';

describe('audit-proto', () => {
  it('round-trips an event with absent optional fields as absent (JSON null), not as empty strings', () => {
    const event: PackageEvent = {
      timestamp: '2026-01-02T03:04:05.678Z', event_type: 'npm.search', registry: 'npm', action: 'search',
      status_code: 200, extra: { event_id: 'e1', request_id: 'r1' },
    };
    const decoded = RecordBatchRequest.decode(RecordBatchRequest.encode({ events: [event] }).finish());
    expect(decoded.events).toHaveLength(1);
    expect(decoded.events[0]?.package).toBeUndefined();
    expect(decoded.events[0]?.size).toBeUndefined();
    expect(decoded.events[0]?.extra).toEqual({ event_id: 'e1', request_id: 'r1' });
  });

  it('keeps an explicit empty string and a zero size (proto3 optional has presence)', () => {
    const bytes = PackageEvent.encode({
      timestamp: 't', event_type: 'x', registry: 'pypi', action: 'download', status_code: 0, extra: {}, package: '', size: 0,
    }).finish();
    const decoded = PackageEvent.decode(bytes);
    expect(decoded.package).toBe('');
    expect(decoded.size).toBe(0);
  });

  it('carries sizes above 2^31 without loss (int64 as number)', () => {
    const size = 5 * 1024 ** 3;
    const bytes = PackageEvent.encode({ timestamp: 't', event_type: 'x', registry: 'pypi', action: 'a', status_code: 200, extra: {}, size }).finish();
    expect(PackageEvent.decode(bytes).size).toBe(size);
  });
});

import { isoTimestamp } from './iso-timestamp';

describe('isoTimestamp', () => {
  it('formats exactly as Date#toISOString, across millisecond, second and day boundaries', () => {
    const base = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    for (let ms = base; ms < base + 2_100; ms += 1) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('stays right when calls jump between seconds and go back in time', () => {
    const times = [Date.now(), 0, 1_000, 999, Date.UTC(2000, 1, 29, 12, 0, 0, 7), Date.now() - 86_400_000, Date.now()];
    for (const ms of times) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('falls back to the extended form for years beyond 9999', () => {
    const far = Date.UTC(12_000, 0, 1, 0, 0, 0, 5);
    expect(isoTimestamp(far)).toBe(new Date(far).toISOString());
  });
});

describe('isoTimestamp, repeated milliseconds', () => {
  it('answers the same millisecond twice, and the next one right after it, exactly as Date#toISOString', () => {
    const ms = Date.UTC(2026, 5, 1, 12, 0, 0, 41);
    for (const t of [ms, ms, ms + 1, ms + 1, ms, ms + 1_000, ms + 1_000]) expect(isoTimestamp(t)).toBe(new Date(t).toISOString());
  });
});

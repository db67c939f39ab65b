import { eventIdGenerator, nextEventId } from './event-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('eventIdGenerator', () => {
  it('gives UUID-shaped (version 8, RFC variant) ids that never repeat within a process', () => {
    const ids = Array.from({ length: 5_000 }, () => nextEventId());
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the version and variant bits whatever the random bytes are', () => {
    for (const fill of [0x00, 0xff, 0x5a]) expect(eventIdGenerator(() => Buffer.alloc(10, fill))()).toMatch(UUID);
  });

  it('counts up from zero in the last group under one random prefix per generator', () => {
    const next = eventIdGenerator(() => Buffer.from('00112233445566778899', 'hex'));
    expect([next(), next(), next()]).toEqual([
      '00112233-4455-8667-b889-000000000000',
      '00112233-4455-8667-b889-000000000001',
      '00112233-4455-8667-b889-000000000002',
    ]);
  });

  it('starts from a different prefix in another process (another draw of random bytes)', () => {
    expect(eventIdGenerator()().slice(0, 23)).not.toBe(eventIdGenerator()().slice(0, 23));
  });
});

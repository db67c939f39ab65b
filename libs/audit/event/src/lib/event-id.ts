import { randomBytes } from 'node:crypto';

/**
 * Event ids shaped as RFC 9562 UUIDv8 (the gateway checks the UUID form): 74 random bits drawn once per
 * process, then a 48-bit counter. Unique across processes and restarts like a random UUID, without a CSPRNG
 * call per event; an event id is a de-duplication key, not a secret, so a predictable counter is fine.
 */
export function eventIdGenerator(random: (bytes: number) => Buffer = randomBytes): () => string {
  let prefix = '';
  let counter = 0;
  const renew = () => {
    const hex = random(10).toString('hex'); // 80 bits, 74 used
    const variant = ((parseInt(hex[15] as string, 16) & 0x3) | 0x8).toString(16);
    prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(12, 15)}-${variant}${hex.slice(16, 19)}-`;
    counter = 0;
  };
  renew();
  return () => {
    // 2^48 events from one process is out of reach; a fresh prefix keeps the ids unique if it ever happens.
    if (counter >= 0xffff_ffff_ffff) renew();
    const suffix = (counter++).toString(16);
    return prefix + (suffix.length === 12 ? suffix : '000000000000'.slice(suffix.length) + suffix);
  };
}

/** The process's event id source (createAuditEvent's default). */
export const nextEventId = eventIdGenerator();

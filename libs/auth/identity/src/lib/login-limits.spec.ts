import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createIdentityService, type IdentityServiceOptions } from './create-identity-service';
import { createHashingQueue } from './hashing-queue';

const setupLimited = async (overrides: Partial<IdentityServiceOptions> = {}) => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const identity = createIdentityService({
    store: new InMemoryBlobStore(), logger: silentLogger, allowSignup: true, passwordCacheTtlMs: 0,
    rateLimit: { maxFailures: 3, windowMs: 60_000 }, clock: () => new Date(now), ...overrides,
  });
  await identity.createUser({ name: 'alice', password: 'alice password' });
  return { identity, advance: (ms: number) => { now += ms; } };
};

const settled = (p: Promise<unknown>): Promise<unknown> => p.then((v) => v, (e: unknown) => e);
const codeOf = async (p: Promise<unknown>): Promise<string | undefined> => {
  const result = await settled(p);
  return result instanceof AppError ? result.code : undefined;
};

describe('login rate limit', () => {
  it('locks a user at one address after repeated failures, with Retry-After, until the window slides', async () => {
    const { identity, advance } = await setupLimited();
    for (let i = 0; i < 3; i++) {
      expect(await identity.verifyPassword('alice', 'wrong', '10.0.0.1')).toBeUndefined();
      advance(10_000);
    }
    const err = await settled(identity.verifyPassword('alice', 'alice password', '10.0.0.1'));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('too_many_requests');
    expect((err as AppError).headers['retry-after']).toBe('30'); // first failure at t=0 leaves the window at t=60 s
    advance(30_000);
    expect(await identity.verifyPassword('alice', 'alice password', '10.0.0.1')).toBeDefined();
  });

  it('guesses from one address never lock the user out from another address', async () => {
    const { identity } = await setupLimited();
    for (let i = 0; i < 5; i++) await settled(identity.verifyPassword('alice', 'wrong', '203.0.113.5'));
    expect(await codeOf(identity.verifyPassword('alice', 'alice password', '203.0.113.5'))).toBe('too_many_requests');
    expect(await identity.verifyPassword('alice', 'alice password', '10.0.0.2')).toBeDefined();
  });

  it('locks a remote address that sprays many user names, without locking those users elsewhere', async () => {
    const { identity } = await setupLimited();
    for (const name of ['u1', 'u2', 'u3']) expect(await identity.verifyPassword(name, 'guess', '203.0.113.5')).toBeUndefined();
    expect(await codeOf(identity.verifyPassword('alice', 'alice password', '203.0.113.5'))).toBe('too_many_requests');
    expect(await identity.verifyPassword('alice', 'alice password', '203.0.113.6')).toBeDefined();
  });

  it('counts attempts when they start: of 40 parallel guesses only the limit is evaluated', async () => {
    const { identity } = await setupLimited({ hashing: { concurrency: 2, maxWaiting: 100 } });
    const codes = await Promise.all(Array.from({ length: 40 }, () => codeOf(identity.verifyPassword('alice', 'wrong', '198.51.100.7'))));
    expect(codes.filter((c) => c === undefined)).toHaveLength(3); // evaluated and wrong
    expect(codes.filter((c) => c === 'too_many_requests')).toHaveLength(37);
  });

  it('a successful login takes its attempt back and clears that user’s count', async () => {
    const { identity } = await setupLimited();
    for (let i = 0; i < 2; i++) await identity.verifyPassword('alice', 'wrong');
    expect(await identity.verifyPassword('alice', 'alice password')).toBeDefined();
    for (let i = 0; i < 2; i++) await identity.verifyPassword('alice', 'wrong');
    expect(await identity.verifyPassword('alice', 'alice password')).toBeDefined();
    for (let i = 0; i < 5; i++) expect(await identity.verifyPassword('alice', 'alice password', '10.0.0.3')).toBeDefined();
  });
});

describe('hashing queue', () => {
  it('runs at most `concurrency` jobs at once and refuses beyond the wait list with 429 and Retry-After', async () => {
    const queue = createHashingQueue({ concurrency: 2, maxWaiting: 2 });
    const gates: Array<() => void> = [];
    const job = () => new Promise<void>((resolve) => gates.push(resolve));
    const running = [queue.run(job), queue.run(job), queue.run(job), queue.run(job)];
    expect(queue.load()).toEqual({ running: 2, waiting: 2 });
    const refused = await settled(queue.run(job));
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('too_many_requests');
    expect((refused as AppError).headers['retry-after']).toBe('1');
    while (gates.length > 0 || queue.load().running > 0) {
      gates.shift()?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(running);
    expect(queue.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('a burst of password checks beyond the queue is refused, not queued for ever', async () => {
    const { identity } = await setupLimited({ hashing: { concurrency: 1, maxWaiting: 1 }, rateLimit: { maxFailures: 1000 } });
    const codes = await Promise.all(Array.from({ length: 10 }, (_, i) => codeOf(identity.verifyPassword('alice', 'wrong', `10.1.0.${i}`))));
    expect(codes.filter((c) => c === 'too_many_requests').length).toBeGreaterThanOrEqual(1);
    expect(codes.filter((c) => c === undefined).length).toBeGreaterThanOrEqual(2);
  });
});

import { AppError } from '@registry/shared-errors';
import { assertClaimable, claimableNames, type ClaimCheck } from './upstream-claims';

const upstreamServing = (names: string[], failing = false): ClaimCheck['upstreamDocs'] => ({
  get: async (name) => {
    if (failing) throw new AppError('upstream_unavailable', 'connection refused');
    return { document: names.includes(name) ? {} : undefined };
  },
});
const check = (upstreamDocs: ClaimCheck['upstreamDocs'], allowed: string[] = []): ClaimCheck =>
  ({ upstreamDocs, mayClaim: claimableNames(allowed), setting: 'X_CLAIMABLE_NAMES' });
const codeOf = async (p: Promise<void>): Promise<string | undefined> =>
  p.then(() => undefined, (e: unknown) => (e instanceof AppError ? e.code : 'not an AppError'));

describe('assertClaimable (the one claim rule of both registries)', () => {
  it('refuses a name the upstream serves with 403 naming the setting; a name it does not serve is free', async () => {
    const err = await assertClaimable('lodash', check(upstreamServing(['lodash']))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('forbidden');
    expect((err as AppError).message).toMatch(/served by the upstream registry.*X_CLAIMABLE_NAMES/);
    expect(await codeOf(assertClaimable('my-own-thing', check(upstreamServing(['lodash']))))).toBeUndefined();
  });

  it('lets an admin allow names and globs; private-only mode allows everything', async () => {
    const up = upstreamServing(['acme-tools', '@acme/x', 'left-pad']);
    expect(await codeOf(assertClaimable('acme-tools', check(up, ['acme-*'])))).toBeUndefined();
    expect(await codeOf(assertClaimable('@acme/x', check(up, ['@acme/*'])))).toBeUndefined();
    expect(await codeOf(assertClaimable('left-pad', check(up, ['acme-*', 'left.pad'])))).toBe('forbidden'); // `.` is literal
    expect(await codeOf(assertClaimable('anything', check(undefined)))).toBeUndefined();
  });

  it('fails closed with 503 and Retry-After when the upstream cannot be asked', async () => {
    const err = await assertClaimable('unknown', check(upstreamServing([], true))).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('unavailable');
    expect((err as AppError).headers['retry-after']).toBe('30');
    expect(await codeOf(assertClaimable('allowed', check(upstreamServing([], true), ['allowed'])))).toBeUndefined();
  });
});

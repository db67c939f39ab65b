import { Firewall, indexReleases, policyOfReview, type FirewallOptions } from './firewall';
import type { Exemption } from './exemptions';
import { formatAge, parseAge } from './duration';
import { refusalOf } from './refusal';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-10T00:00:00Z');

function firewall(overrides: Partial<FirewallOptions> & { clock?: { now: number } } = {}) {
  const clock = overrides.clock ?? { now: T0 };
  return new Firewall({ minReleaseAgeMs: 3 * DAY, undated: 'hold', now: () => clock.now, exemptions: () => [], ...overrides });
}

const releases = indexReleases('npm', 'left-pad', [
  { key: '1.0.0', version: '1.0.0', publishedAt: T0 - 30 * DAY },
  { key: '1.1.0', version: '1.1.0', publishedAt: T0 - 1 * DAY },
]);

const exemption = (over: Partial<Exemption>): Exemption => ({
  id: 'e1', ecosystem: 'npm', package: 'left-pad', policies: ['cooldown'], reason: 'hotfix', createdBy: 'admin', createdAt: new Date(T0).toISOString(), ...over,
});

describe('Firewall cooldown', () => {
  it('holds releases younger than the minimum age, naming the publish time and when they become available', () => {
    const review = firewall().review(releases);
    expect([...review.held.keys()]).toEqual(['1.1.0']);
    const hold = review.held.get('1.1.0');
    expect(hold?.availableAt).toBe(T0 + 2 * DAY);
    expect(hold?.message).toContain('2026-01-09T00:00:00.000Z');
    expect(hold?.message).toContain('available from 2026-01-12T00:00:00.000Z');
    expect(policyOfReview(review)).toBe('cooldown');
  });

  it('releases a version when the clock passes its edge, with no rebuild of the index', () => {
    const clock = { now: T0 };
    const fw = firewall({ clock });
    expect(fw.review(releases).held.size).toBe(1);
    clock.now = T0 + 2 * DAY - 1;
    expect(fw.review(releases).held.size).toBe(1);
    clock.now = T0 + 2 * DAY;
    expect(fw.review(releases).held.size).toBe(0);
  });

  it('holds nothing when off', () => {
    expect(firewall({ minReleaseAgeMs: 0 }).review(releases).held.size).toBe(0);
  });

  it('treats undated releases by the undated rule', () => {
    const undated = indexReleases('pypi', 'demo', [{ key: 'demo-1.0.tar.gz', version: '1.0', publishedAt: undefined }]);
    expect(firewall().review(undated).held.get('demo-1.0.tar.gz')?.message).toContain('no upstream publish time');
    expect(firewall({ undated: 'allow' }).review(undated).held.size).toBe(0);
  });

  it('lets an active exemption through as a waiver, and stops when it expires', () => {
    const clock = { now: T0 };
    const exemptions = [exemption({ expiresAt: new Date(T0 + DAY).toISOString() })];
    const fw = firewall({ clock, exemptions: () => exemptions });
    const review = fw.review(releases);
    expect(review.held.size).toBe(0);
    expect(review.waived.get('1.1.0')?.id).toBe('e1');
    expect(policyOfReview(review)).toBe('waiver');
    clock.now = T0 + DAY;
    expect([...fw.review(releases).held.keys()]).toEqual(['1.1.0']);
  });

  it('matches exemptions by scope glob and exact version only', () => {
    const scoped = indexReleases('npm', '@acme/tool', [{ key: '2.0.0', version: '2.0.0', publishedAt: T0 }]);
    expect(firewall({ exemptions: () => [exemption({ package: '@acme/*' })] }).review(scoped).held.size).toBe(0);
    expect(firewall({ exemptions: () => [exemption({ package: '@acme/*', version: '1.0.0' })] }).review(scoped).held.size).toBe(1);
    expect(firewall({ exemptions: () => [exemption({ package: '@other/*' })] }).review(scoped).held.size).toBe(1);
    expect(firewall({ exemptions: () => [exemption({ package: '@acme/*', ecosystem: 'pypi' })] }).review(scoped).held.size).toBe(1);
  });
});

describe('refusalOf', () => {
  it('is a 403 whose details name the policy and the times', () => {
    const hold = firewall().review(releases).held.get('1.1.0');
    const err = refusalOf(hold as NonNullable<typeof hold>);
    expect(err.code).toBe('forbidden');
    expect(err.details).toEqual({ policy: 'cooldown', published_at: '2026-01-09T00:00:00.000Z', available_at: '2026-01-12T00:00:00.000Z' });
  });
});

describe('ages', () => {
  it.each([['3d', 3 * DAY], ['12h', 43_200_000], ['90m', 5_400_000], ['1500', 1500], ['0', 0], ['1w', 7 * DAY]])('parses %s', (text, ms) => {
    expect(parseAge(text)).toBe(ms);
  });
  it('refuses what is not a duration', () => {
    expect(parseAge('three days')).toBeUndefined();
    expect(parseAge('-1d')).toBeUndefined();
  });
  it('formats exactly', () => {
    expect(formatAge(3 * DAY)).toBe('3d');
    expect(formatAge(36 * 3_600_000)).toBe('36h');
    expect(formatAge(1500)).toBe('1500ms');
  });
});

describe('Firewall provenance rules', () => {
  const DAY2 = 86_400_000;
  const attestedLine = indexReleases('npm', 'signed', [
    { key: '1.0.0', version: '1.0.0', publishedAt: T0 - 40 * DAY2, attested: false },
    { key: '1.1.0', version: '1.1.0', publishedAt: T0 - 30 * DAY2, attested: true },
    { key: '1.2.0', version: '1.2.0', publishedAt: T0 - 20 * DAY2, attested: false },
    { key: '1.3.0', version: '1.3.0', publishedAt: undefined, attested: false },
  ]);
  const fw = (rule: 'required' | 'no-downgrade' | undefined) =>
    new Firewall({ minReleaseAgeMs: 0, undated: 'allow', now: () => T0, exemptions: () => [], provenanceRuleOf: () => rule });

  it('no-downgrade holds unattested releases published after the first attested one (and undated ones), not older ones', () => {
    const review = fw('no-downgrade').review(attestedLine);
    expect([...review.held.keys()]).toEqual(['1.2.0', '1.3.0']);
    expect(review.held.get('1.2.0')).toMatchObject({ policy: 'provenance', availableAt: undefined });
    expect(review.held.get('1.2.0')?.message).toContain('no trust downgrade');
  });

  it('required holds every unattested release; no rule holds nothing', () => {
    expect([...fw('required').review(attestedLine).held.keys()]).toEqual(['1.0.0', '1.2.0', '1.3.0']);
    expect(fw(undefined).review(attestedLine).held.size).toBe(0);
  });
});

describe('ExemptionSet', () => {
  it('leaves malformed stored entries out, and writes through compare-and-swap documents', async () => {
    const { ExemptionSet } = await import('./exemption-set');
    let doc: unknown = { exemptions: [{ id: 'bad' }, exemption({ id: 'good' })] };
    const set = new ExemptionSet({
      documents: { read: async () => doc as never, update: async (mutate) => (doc = mutate(doc as never)) as never },
      fromFile: [], refreshMs: 60_000, now: () => T0, onRefreshError: () => undefined,
    });
    await set.refresh();
    expect(set.current().map((e) => e.id)).toEqual(['good']);
    const added = await set.add({ ecosystem: 'pypi', package: 'demo', reason: 'r' }, 'admin');
    expect(set.current().map((e) => e.id)).toContain(added.id);
    await expect(set.add({ ecosystem: 'pypi', package: 'demo' }, 'admin')).rejects.toThrow(/reason/);
    await set.remove(added.id);
    await expect(set.remove(added.id)).rejects.toThrow(/no exemption/);
  });
});

describe('Firewall admin view (blockedNow)', () => {
  const young = (name: string, count: number) =>
    indexReleases('npm', name, Array.from({ length: count }, (_, i) => ({ key: `1.0.${i}`, version: `1.0.${i}`, publishedAt: T0 - DAY })));

  it('lists the releases it holds now, per package it was asked about', () => {
    const fw = firewall();
    fw.review(releases);
    expect(fw.blockedNow().map((b) => [b.package, b.release])).toEqual([['left-pad', '1.1.0']]);
  });

  it('remembers packages within a byte budget: one with tens of thousands of releases does not stay beside the others', () => {
    const fw = firewall();
    fw.review(young('huge', 53_000)); // ~8.5 MB of release index: over the budget, kept alone
    expect(new Set(fw.blockedNow().map((b) => b.package))).toEqual(new Set(['huge']));
    fw.review(young('small', 2));
    expect(new Set(fw.blockedNow().map((b) => b.package))).toEqual(new Set(['small']));
  });
});

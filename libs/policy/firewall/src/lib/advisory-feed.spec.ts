import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AdvisoryFeed } from './advisory-feed';
import { bulkFromFeed } from './bulk-advisories';
import { Firewall, indexReleases } from './firewall';
import { osvSourceOf } from './osv-source';
import type { Exemption } from './exemptions';

const NOW = Date.parse('2026-03-10T00:00:00Z');
const mal = { id: 'MAL-2026-7', summary: 'steals tokens', affected: [{ package: { ecosystem: 'npm', name: 'evil' }, versions: ['1.0.1'] }] };
const ghsa = {
  id: 'GHSA-aaaa-bbbb-cccc', summary: 'prototype pollution', database_specific: { severity: 'HIGH' },
  affected: [{ package: { ecosystem: 'npm', name: 'evil' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }],
};

describe('AdvisoryFeed over a directory of OSV records', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'osv-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const feedOf = (blockSeverity?: 'high') => new AdvisoryFeed({ source: osvSourceOf(dir), refreshMs: 60_000, blockSeverity, now: () => NOW, onRefreshError: () => undefined });
  const firewallOf = (feed: AdvisoryFeed, exemptions: Exemption[] = []) =>
    new Firewall({ minReleaseAgeMs: 0, undated: 'allow', now: () => NOW, exemptions: () => exemptions, advisories: feed });
  const evil = indexReleases('npm', 'evil', ['0.9.0', '1.0.0', '1.0.1'].map((v) => ({ key: v, version: v, publishedAt: NOW - 1e10 })));

  it('blocks malware on the next refresh, whatever its age; other advisories only at the severity threshold', async () => {
    const feed = feedOf();
    await feed.refresh();
    const fw = firewallOf(feed);
    expect(fw.review(evil).held.size).toBe(0);
    await writeFile(path.join(dir, 'MAL-2026-7.json'), JSON.stringify(mal));
    await writeFile(path.join(dir, 'GHSA.json'), JSON.stringify(ghsa));
    await feed.refresh();
    const held = fw.review(evil).held;
    expect([...held.keys()]).toEqual(['1.0.1']);
    expect(held.get('1.0.1')).toMatchObject({ policy: 'advisory', advisory: 'MAL-2026-7', availableAt: undefined });
    expect(held.get('1.0.1')?.message).toContain('reported as malicious');

    const strict = feedOf('high');
    await strict.refresh();
    expect([...firewallOf(strict).review(evil).held.keys()]).toEqual(['0.9.0', '1.0.1']);
  });

  it('lifts an advisory hold only with an exemption naming the advisory policy', async () => {
    await writeFile(path.join(dir, 'mal.json'), JSON.stringify([mal]));
    const feed = feedOf();
    await feed.refresh();
    const base = { id: 'x', ecosystem: 'npm' as const, package: 'evil', version: '1.0.1', reason: 'forensics', createdBy: 'a', createdAt: '' };
    expect(firewallOf(feed, [{ ...base, policies: ['cooldown'] }]).review(evil).held.size).toBe(1);
    expect(firewallOf(feed, [{ ...base, policies: ['advisory'] }]).review(evil).waived.has('1.0.1')).toBe(true);
  });

  it('skips withdrawn records and answers npm audit bulk requests with semver ranges', async () => {
    await writeFile(path.join(dir, 'a.json'), JSON.stringify({ vulns: [ghsa, { ...mal, id: 'MAL-2026-8', withdrawn: '2026-01-01T00:00:00Z' }] }));
    const feed = feedOf();
    await feed.refresh();
    expect(feed.affecting('npm', 'evil', '1.0.1')).toEqual([]);
    expect(bulkFromFeed(feed, { evil: ['0.9.0'], other: ['1.0.0'] })).toEqual({
      evil: [expect.objectContaining({ id: 'GHSA-aaaa-bbbb-cccc', severity: 'high', vulnerable_versions: '>=0.0.0-0 <1.0.0', title: 'prototype pollution' })],
    });
  });

  it('keeps the last good records when a refresh reads bad JSON', async () => {
    await writeFile(path.join(dir, 'mal.json'), JSON.stringify(mal));
    const feed = feedOf();
    await feed.refresh();
    await writeFile(path.join(dir, 'broken.json'), '{');
    await expect(feed.refresh()).rejects.toThrow(/not JSON/);
    expect(feed.blocking('npm', 'evil', '1.0.1')?.id).toBe('MAL-2026-7');
  });
});

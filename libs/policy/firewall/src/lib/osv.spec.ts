import { affectedEntries, atLeast, isAffected, isMalicious, packageKey, type OsvAffected } from './osv';

const semverRange: OsvAffected = { package: { ecosystem: 'npm', name: 'evil' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.2.0' }, { fixed: '1.4.0' }] }] };

describe('OSV matching', () => {
  it('walks SEMVER events for npm', () => {
    expect(['1.1.9', '1.2.0', '1.3.5', '1.4.0', '2.0.0'].map((v) => isAffected(semverRange, 'npm', v))).toEqual([false, true, true, false, false]);
  });
  it('treats introduced 0 as every version, and last_affected as inclusive', () => {
    const all: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.0.1' }] }] };
    expect(['0.0.1', '1.0.1', '1.0.2'].map((v) => isAffected(all, 'npm', v))).toEqual([true, true, false]);
  });
  it('orders PyPI ECOSYSTEM ranges by PEP 440 (1.10 after 1.9, rc before final)', () => {
    const py: OsvAffected = { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.9' }, { fixed: '1.10' }] }] };
    expect(['1.8', '1.9', '1.9.5', '1.10rc1', '1.10', '1.10.0'].map((v) => isAffected(py, 'pypi', v))).toEqual([false, true, true, true, false, false]);
  });
  it('matches explicit versions lists, and ignores GIT ranges', () => {
    const listed: OsvAffected = { versions: ['0.0.7'], ranges: [{ type: 'GIT', events: [{ introduced: 'abc' }] }] };
    expect(isAffected(listed, 'pypi', '0.0.7')).toBe(true);
    expect(isAffected(listed, 'pypi', '0.0.8')).toBe(false);
  });
  it('keys packages per ecosystem (PyPI names normalized) and knows malware ids and severities', () => {
    const entries = affectedEntries({ id: 'MAL-2026-1', affected: [{ package: { ecosystem: 'PyPI', name: 'Evil_Pkg' } }, { package: { ecosystem: 'Go', name: 'x' } }] });
    expect(entries.map((e) => e.key)).toEqual([packageKey('pypi', 'evil-pkg')]);
    expect(isMalicious({ id: 'MAL-2026-1' })).toBe(true);
    expect(isMalicious({ id: 'GHSA-xxxx' })).toBe(false);
    expect(atLeast('HIGH'.toLowerCase(), 'high')).toBe(true);
    expect(atLeast('moderate', 'high')).toBe(false);
    expect(atLeast(undefined, 'low')).toBe(false);
  });
});

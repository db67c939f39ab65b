import { comparePep440, normalizePep440Version, sameVersion } from './pep440';

describe('comparePep440', () => {
  it('orders the PEP 440 examples', () => {
    const ordered = ['1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456',
      '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.1.dev1', '1!0.1'];
    for (let i = 0; i + 1 < ordered.length; i++) expect([ordered[i], ordered[i + 1], comparePep440(ordered[i] as string, ordered[i + 1] as string)]).toEqual([ordered[i], ordered[i + 1], -1]);
  });
  it('ignores trailing zeros and normalizes spellings', () => {
    expect(comparePep440('1.0', '1.0.0')).toBe(0);
    expect(comparePep440('1.0-alpha1', '1.0a1')).toBe(0);
    expect(comparePep440('1.0-1', '1.0.post1')).toBe(0);
    expect(comparePep440('2.10', '2.9')).toBe(1);
  });
  it('refuses what is not PEP 440', () => {
    expect(comparePep440('not a version', '1.0')).toBeUndefined();
  });
});

describe('PEP 440 normalization (protocols §2.4)', () => {
  it.each([
    ['1.0', '1.0'], ['v1.0', '1.0'], ['1.0-1', '1.0.post1'], ['1.0ALPHA2', '1.0a2'], ['1.0.c1', '1.0rc1'], ['1.0-preview', '1.0rc0'],
    ['1!01.002', '1!1.2'], ['0!1.0', '1.0'], ['1.0.dev', '1.0.dev0'], ['1.0-r4', '1.0.post4'], ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    [' 2.0b1.post2.dev3 ', '2.0b1.post2.dev3'],
  ])('%j → %j', (raw, normalized) => expect(normalizePep440Version(raw)).toBe(normalized));

  it.each(['', '1.0-', 'latest', '1..0', '1.0+', '1.0 beta', 'constructor'])('%j is not a version', (raw) => expect(normalizePep440Version(raw)).toBeUndefined());

  it('compares spellings of one version, not equal versions', () => {
    expect(sameVersion('1.0-1', '1.0.post1')).toBe(true);
    expect(sameVersion('1.0', '1.0.0')).toBe(false);
  });
});

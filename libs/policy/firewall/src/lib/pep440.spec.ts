import { comparePep440 } from './pep440';

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

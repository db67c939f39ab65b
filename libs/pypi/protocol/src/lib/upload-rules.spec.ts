import { sameDistributionFilename } from './distribution-filename';
import { normalizePep440Version, sameVersion } from './pep440';
import { wheelMetadataMismatch } from './wheel-metadata';

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

describe('wheel METADATA must describe its file (PEP 658)', () => {
  const meta = (name: string, version: string) => Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n\nName: other\n`);
  it('accepts the project under any spelling and the version under any PEP 440 spelling', () => {
    expect(wheelMetadataMismatch(meta('Acme.Utils', '1.0-1'), { project: 'acme-utils', version: '1.0.post1' })).toBeUndefined();
  });
  it('refuses another project, another version, and metadata without either', () => {
    expect(wheelMetadataMismatch(meta('requests', '1.0'), { project: 'acme-utils', version: '1.0' })).toMatch(/names project "requests"/);
    expect(wheelMetadataMismatch(meta('acme-utils', '2.0'), { project: 'acme-utils', version: '1.0' })).toMatch(/names version "2.0"/);
    expect(wheelMetadataMismatch(Buffer.from('Metadata-Version: 2.1\n\nName: acme-utils\n'), { project: 'acme-utils', version: '1.0' })).toMatch(/no Name/);
  });
});

describe('distribution filenames compared for conflicts', () => {
  it('ignores case only', () => {
    expect(sameDistributionFilename('Demo-1.0-py3-none-any.whl', 'demo-1.0-py3-none-any.whl')).toBe(true);
    expect(sameDistributionFilename('demo-1.0.tar.gz', 'demo-1.0.zip')).toBe(false);
  });
});

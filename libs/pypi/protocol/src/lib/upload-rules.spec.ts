import { sameDistributionFilename } from './distribution-filename';
import { wheelMetadataMismatch } from './wheel-metadata';

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

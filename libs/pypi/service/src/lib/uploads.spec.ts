import { Readable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import { bufferSource } from '@registry/pypi-protocol';
import type { UploadForm } from './uploads';
import { validateUpload } from './uploads';

const content = (filename: string) => ({
  filename, size: 3, sha256: 'a'.repeat(64), blake2b256: 'b'.repeat(64), md5: 'c'.repeat(32),
  source: bufferSource(Buffer.from('abc')), open: () => Readable.from([Buffer.from('abc')]),
});

const form = (fields: Record<string, string>, filename = 'acme_utils-1.0.0-py3-none-any.whl'): UploadForm => ({
  fields: Object.fromEntries(Object.entries({
    ':action': 'file_upload', protocol_version: '1', name: 'Acme.Utils', version: '1.0.0', filetype: 'bdist_wheel',
    pyversion: 'py3', sha256_digest: 'A'.repeat(64), ...fields,
  }).map(([k, v]) => [k, [v]])),
  content: content(filename),
});

const codeOf = (f: () => unknown): string | undefined => {
  try { f(); return undefined; } catch (err) { return err instanceof AppError ? `${err.code}: ${err.message}` : String(err); }
};

describe('validateUpload (protocols §2.4)', () => {
  it('accepts a wheel, normalizing the name and reading digests case-insensitively', () => {
    expect(validateUpload(form({}))).toMatchObject({ name: 'Acme.Utils', normalized: 'acme-utils', version: '1.0.0', kind: 'wheel' });
  });

  it('treats empty fields as absent, as poetry sends them', () => {
    expect(validateUpload(form({ filetype: 'sdist', pyversion: '', md5_digest: '', comment: '' }, 'acme_utils-1.0.0.tar.gz')).kind).toBe('sdist');
  });

  it.each([
    [{ ':action': 'submit' }, 'gone'],
    [{ ':action': 'remove_pkg' }, 'invalid_request: Unknown :action'],
    [{ protocol_version: '2' }, 'Unknown protocol version'],
    [{ name: '-bad-' }, 'Invalid value for name'],
    [{ filetype: 'bdist_egg' }, 'Invalid value for filetype'],
    [{ version: 'latest' }, 'Invalid value for version'],
    [{ version: '1.0.0 ' + 'x'.repeat(200) }, 'Invalid value for version'],
    [{ pyversion: '' }, 'pyversion'],
    [{ version: '1.0.1' }, 'Start filename'],
    [{ sha256_digest: '0'.repeat(64) }, 'digest supplied does not match'],
    [{ sha256_digest: '', blake2_256_digest: 'B'.repeat(64), md5_digest: 'c'.repeat(32) }, undefined],
    [{ sha256_digest: '' }, 'Include at least one message digest'],
    [{ metadata_version: '9.9' }, 'Unsupported metadata_version'],
  ])('%j → %s', (fields, expected) => {
    const outcome = codeOf(() => validateUpload(form(fields)));
    if (expected === undefined) expect(outcome).toBeUndefined();
    else expect(outcome).toContain(expected);
  });

  it('refuses a missing file and a filename with a slash', () => {
    expect(codeOf(() => validateUpload({ ...form({}), content: undefined }))).toContain('does not have a file');
    expect(codeOf(() => validateUpload(form({}, '../acme_utils-1.0.0-py3-none-any.whl')))).toContain('Invalid filename');
  });
});

import { filenameMatches, parseDistributionFilename } from './distribution-filename';
import { negotiateSimpleFormat } from './negotiate-simple-format';
import { isValidProjectName, normalizeProjectName } from './normalize-project-name';

describe('names and filenames (protocols §1.2)', () => {
  it.each([['Friendly.Bard', 'friendly-bard'], ['friendly_bard', 'friendly-bard'], ['FRIENDLY--bard', 'friendly-bard'], ['a.-_b', 'a-b']])(
    'normalizes %s to %s', (name, expected) => expect(normalizeProjectName(name)).toBe(expected),
  );

  it('validates project names', () => {
    expect(isValidProjectName('acme.utils_2')).toBe(true);
    expect(['', '-x', 'x-', 'a b', 'x\n'].map(isValidProjectName)).toEqual([false, false, false, false, false]);
  });

  it.each([
    ['acme_utils-2.0.0-py3-none-any.whl', undefined, { kind: 'wheel', project: 'acme_utils', version: '2.0.0' }],
    ['acme_utils-2.0.0-1-py2.py3-none-any.whl', undefined, { kind: 'wheel', project: 'acme_utils', version: '2.0.0' }],
    ['Acme-Utils-1.0-1.tar.gz', 'acme-utils', { kind: 'sdist', project: 'Acme-Utils', version: '1.0-1' }],
    ['acme_utils-1.0+local.7.zip', undefined, { kind: 'sdist', project: 'acme_utils', version: '1.0+local.7' }],
    ['acme_utils-2.0.0.exe', undefined, undefined],
    ['acme_utils-py3-none-any.whl', undefined, undefined],
  ])('parses %s', (filename, project, expected) => {
    expect(parseDistributionFilename(filename, project)).toEqual(expected);
  });

  it('matches a filename against name and version after normalization', () => {
    const parsed = parseDistributionFilename('Acme_Utils-2.0.0-py3-none-any.whl')!;
    expect(filenameMatches(parsed, 'acme-utils', '2.0.0')).toBe(true);
    expect(filenameMatches(parsed, 'acme-utils', '2.0.1')).toBe(false);
    expect(filenameMatches(parsed, 'other', '2.0.0')).toBe(false);
  });
});

describe('content negotiation (PEP 691, as the upstream index does it)', () => {
  it.each([
    ['application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01', 'json-v1'],
    ['application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01', 'json-v1'],
    ['application/vnd.pypi.simple.v1+json, */*;q=0.1', 'json-v1'],
    ['application/vnd.pypi.simple.latest+html', 'html-legacy'],
    ['application/vnd.pypi.simple.v1+json, text/html', 'json-v1'],
    ['text/html;q=0.5, */*;q=0.5', 'html-legacy'],
    ['text/*', 'html-legacy'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'html-legacy'],
    ['*/*', 'html-legacy'],
    ['', 'html-legacy'],
    [undefined, 'html-legacy'],
    ['application/*', 'html-v1'],
    ['text/html;q=0, */*;q=0.5', 'html-v1'],
    ['application/json', 'html-legacy'],
    ['application/vnd.pypi.simple.v1+json;q=0', 'html-legacy'],
    ['not a media type', 'html-legacy'],
  ])('Accept %j → %s', (accept, expected) => {
    expect(negotiateSimpleFormat(accept)).toBe(expected);
  });
});

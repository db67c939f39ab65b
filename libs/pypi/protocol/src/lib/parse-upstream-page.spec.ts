import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseUpstreamPage, SimplePageParseError } from './parse-upstream-page';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../__fixtures__', name), 'utf8');
const PAGE_URL = 'https://index.invalid/simple/acme-utils/';
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const D = 'd'.repeat(64);

describe('parsing upstream pages', () => {
  it('reads PEP 691 JSON: absolute URLs without fragment, lowercase hashes, the old metadata key, yank reasons', () => {
    const page = parseUpstreamPage(fixture('upstream-page.v1.json'), 'application/vnd.pypi.simple.v1+json', PAGE_URL, 'Acme_Utils');
    expect(page.name).toBe('acme-utils');
    expect(page.versions.sort()).toEqual(['1.9.0', '2.0.0', '3.0.0']);
    expect(page.files).toEqual([
      {
        filename: 'acme_utils-2.0.0-py3-none-any.whl', url: 'https://index.invalid/packages/aa/bb/acme_utils-2.0.0-py3-none-any.whl',
        hashes: { sha256: B, md5: '0123' }, requiresPython: '>=3.9', coreMetadata: { sha256: C },
        size: 48211, uploadTime: '2026-03-02T10:15:03.120000Z', yanked: false,
      },
      {
        filename: 'acme_utils-1.9.0.tar.gz', url: 'https://files.invalid/packages/acme_utils-1.9.0.tar.gz', hashes: { sha256: D },
        requiresPython: null, size: 47002, uploadTime: '2025-11-20T08:00:00Z', yanked: 'broken import on 3.12',
      },
    ]);
    // Said nothing about metadata or provenance: nothing is made up.
    expect('coreMetadata' in page.files[1]!).toBe(false);
    expect('provenance' in page.files[1]!).toBe(false);
    expect(page.lastSerial).toBe(42);
  });

  it('reads PEP 503 HTML: <base href>, fragments, unescaped attributes, empty yank reason, metadata `true`', () => {
    const page = parseUpstreamPage(fixture('upstream-page.html'), 'text/html; charset=utf-8', PAGE_URL, 'acme-utils');
    expect(page.files.map((f) => [f.filename, f.url, f.hashes, f.requiresPython, f.coreMetadata, f.yanked])).toEqual([
      ['acme_utils-2.0.0-py3-none-any.whl', 'https://files.invalid/base/acme_utils-2.0.0-py3-none-any.whl', { sha256: B }, '>=3.9', { sha256: C }, false],
      ['acme_utils-1.9.0.tar.gz', 'https://files.invalid/abs/acme_utils-1.9.0.tar.gz', { sha256: D }, null, undefined, 'broken & bad'],
      ['acme_utils-1.0.0+local.7-py3-none-any.whl', 'https://files.invalid/base/acme_utils-1.0.0%2Blocal.7-py3-none-any.whl', {}, null, true, ''],
    ]);
    expect(page.versions.sort()).toEqual(['1.0.0+local.7', '1.9.0', '2.0.0']);
    expect(page.lastSerial).toBeUndefined();
  });

  it('takes the serial from the X-PyPI-Last-Serial header when the body has none, and the body first', () => {
    const html = fixture('upstream-page.html');
    expect(parseUpstreamPage(html, 'text/html', PAGE_URL, 'acme-utils', { lastSerial: ' 77 ' }).lastSerial).toBe(77);
    expect(parseUpstreamPage(html, 'text/html', PAGE_URL, 'acme-utils', { lastSerial: 'junk' }).lastSerial).toBeUndefined();
    expect(parseUpstreamPage(`${html}\n<!--SERIAL 5-->`, 'text/html', PAGE_URL, 'acme-utils', { lastSerial: '77' }).lastSerial).toBe(5);
    const json = fixture('upstream-page.v1.json');
    expect(parseUpstreamPage(json, 'application/vnd.pypi.simple.v1+json', PAGE_URL, 'acme-utils', { lastSerial: '77' }).lastSerial).toBe(42);
  });

  it('refuses malformed JSON and a future major API version', () => {
    expect(() => parseUpstreamPage('{', 'application/vnd.pypi.simple.v1+json', PAGE_URL, 'x')).toThrow(SimplePageParseError);
    expect(() => parseUpstreamPage('{"meta":{"api-version":"2.0"},"files":[]}', 'application/vnd.pypi.simple.v1+json', PAGE_URL, 'x')).toThrow(/unsupported/);
  });
});

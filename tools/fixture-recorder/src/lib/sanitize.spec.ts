import { fileHostsIn, HostPlaceholders, urlHostsIn } from './sanitize';
import { firstProjects, keepFiles } from './trim';

describe('host placeholders', () => {
  it('replaces a registered host wherever it appears as a whole host token, and only there', () => {
    const hosts = new HostPlaceholders();
    expect(hosts.add('Index.Example.Test', 'pypi-index')).toBe('pypi-index.upstream.invalid');
    const text = 'see https://index.example.test/simple/ and index.example.test:443, not subindex.example.test or index.example.testing';
    expect(hosts.rewrite(text)).toBe(
      'see https://pypi-index.upstream.invalid/simple/ and pypi-index.upstream.invalid:443, not subindex.example.test or index.example.testing',
    );
  });

  it('numbers a second host of the same role and keeps the first name for a known host', () => {
    const hosts = new HostPlaceholders();
    hosts.add('a.example.test', 'pypi-files');
    expect(hosts.add('b.example.test', 'pypi-files')).toBe('pypi-files-2.upstream.invalid');
    expect(hosts.add('A.example.test', 'other')).toBe('pypi-files.upstream.invalid');
    expect(hosts.roles()).toEqual({ 'pypi-files.upstream.invalid': 'pypi-files', 'pypi-files-2.upstream.invalid': 'pypi-files-2' });
  });

  it('refuses a text that still names a registered host', () => {
    const hosts = new HostPlaceholders();
    hosts.add('a.example.test', 'npm-registry');
    expect(() => hosts.assertClean('x https://a.example.test/y', 'body')).toThrow(/body still names an upstream host/);
    expect(() => hosts.assertClean(hosts.rewrite('x https://a.example.test/y'), 'body')).not.toThrow();
  });

  it('finds the hosts documents send clients to for files, and not homepages', () => {
    expect(urlHostsIn('a https://user@h.example.test:8443/x and http://k.example.test')).toEqual(new Set(['h.example.test:8443', 'k.example.test']));
    const page = JSON.stringify({ files: [{ url: 'https://files.example.test/p/a.whl', provenance: 'https://idx.example.test/integrity/a' }] });
    expect(fileHostsIn(page)).toEqual(new Set(['files.example.test', 'idx.example.test']));
    const packument = JSON.stringify({
      homepage: 'https://home.example.test/',
      versions: { '1.0.0': { bugs: { url: 'https://bugs.example.test' }, dist: { tarball: 'https://tgz.example.test/a.tgz', attestations: { url: 'https://att.example.test/x' } } } },
    });
    expect(fileHostsIn(packument)).toEqual(new Set(['tgz.example.test', 'att.example.test']));
    expect(fileHostsIn('<a href="https://f.example.test/a.whl#sha256=00" data-provenance="https://p.example.test/x">a.whl</a>')).toEqual(
      new Set(['f.example.test', 'p.example.test']),
    );
  });
});

describe('trimming', () => {
  const keep = keepFiles((f) => f.startsWith('a-1.'));

  it('keeps the selected files of a JSON page and every other field as it was', () => {
    const doc = { meta: { 'api-version': '1.1', '_last-serial': 7 }, name: 'a', versions: ['1.0', '2.0'], files: [{ filename: 'a-1.0.tar.gz' }, { filename: 'a-2.0.tar.gz' }] };
    expect(JSON.parse(keep(JSON.stringify(doc)))).toEqual({ ...doc, files: [{ filename: 'a-1.0.tar.gz' }] });
  });

  it('keeps the selected anchor lines of an HTML page and every other line', () => {
    const html = '<html>\n<a href="x">a-1.0.tar.gz</a><br/>\n<a href="y">a-2.0.tar.gz</a><br/>\n</html>';
    expect(keep(html)).toBe('<html>\n<a href="x">a-1.0.tar.gz</a><br/>\n</html>');
  });

  it('keeps the first projects of a root page in either serialization', () => {
    expect(JSON.parse(firstProjects(1)(JSON.stringify({ meta: {}, projects: [{ name: 'a' }, { name: 'b' }] })))).toEqual({ meta: {}, projects: [{ name: 'a' }] });
    expect(firstProjects(1)('<body>\n<a href="a/">a</a>\n<a href="b/">b</a>\n</body>')).toBe('<body>\n<a href="a/">a</a>\n</body>');
  });
});

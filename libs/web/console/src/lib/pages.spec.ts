import { renderPackagePage, renderSearchPage, type PackageView } from '../index';

const base: PackageView = {
  registry: 'npm', name: '@acme/<b>widget', description: 'a <i>widget</i>', origin: 'private', latest: '2.0.0',
  distTags: [['latest', '2.0.0'], ['next', '3.0.0-rc.1']],
  versions: [{ version: '2.0.0', publishedAt: '2026-01-02T03:04:05.000Z', tags: ['latest'] }, { version: '1.0.0', tags: [], deprecated: 'use 2' }],
  versionCount: 2, held: [], dependencies: [{ kind: 'dependencies', entries: [['left-pad', '^1.3.0']] }],
  latestFile: { url: 'http://127.0.0.1:1/@acme/widget/-/widget-2.0.0.tgz', integrity: 'sha512-abc', unpackedSize: 2048, fileCount: 3 },
  install: [{ client: 'npm', command: 'npm install @acme/widget' }],
  homepage: 'javascript:alert(1)', repository: 'https://git.example/acme/widget',
};

describe('renderPackagePage', () => {
  const page = renderPackagePage(base);

  it('escapes every field taken from the package', () => {
    expect(page).toContain('@acme/&lt;b&gt;widget');
    expect(page).toContain('a &lt;i&gt;widget&lt;/i&gt;');
    expect(page).not.toContain('<b>widget');
  });

  it('links only http(s) URLs (a javascript: homepage stays text)', () => {
    expect(page).not.toContain('href="javascript:');
    expect(page).toContain('<a class="break" href="https://git.example/acme/widget"');
  });

  it('shows versions with publish times, dist-tags, dependencies linked to their pages, and the tarball facts', () => {
    expect(page).toContain('<time datetime="2026-01-02T03:04:05.000Z">2026-01-02 03:04:05 UTC</time>');
    expect(page).toContain('<th scope="row">next</th><td>3.0.0-rc.1</td>');
    expect(page).toContain('<a href="/-/web/package/left-pad">left-pad</a> <code>^1.3.0</code>');
    expect(page).toContain('<code>sha512-abc</code>');
    expect(page).toContain('2.0 KiB');
    expect(page).toContain('(deprecated: use 2)');
    expect(page).toContain('<pre><code>npm install @acme/widget</code></pre>');
  });

  it('explains each held version with its policy, reason and release time', () => {
    const held = renderPackagePage({ ...base, held: [{ version: '2.1.0', hold: { policy: 'cooldown', message: 'held by the release-age cooldown', availableAt: '2026-02-01T00:00:00.000Z' } }] });
    expect(held).toContain('Held by the firewall');
    expect(held).toMatch(/<td><strong>2\.1\.0<\/strong><\/td><td>cooldown<\/td><td>held by the release-age cooldown<\/td><td><time datetime="2026-02-01T00:00:00.000Z">/);
    expect(page).not.toContain('Held by the firewall');
  });

  it('links to the full version list when the list was cut', () => {
    expect(renderPackagePage({ ...base, versionCount: 3000, allVersionsHref: '/-/web/package/x?versions=all' })).toContain('<a href="/-/web/package/x?versions=all">Show all 3000 versions</a>');
  });
});

describe('renderSearchPage', () => {
  it('links each hit to its package page and pages through the results', () => {
    const page = renderSearchPage({ registry: 'npm', query: 'a"b', hits: [{ name: '@acme/widget', version: '1.0.0', description: '<x>' }], total: 45, from: 20, pageSize: 20 });
    expect(page).toContain('<a href="/-/web/package/@acme/widget"><strong>@acme/widget</strong></a>');
    expect(page).toContain('&lt;x&gt;');
    expect(page).toContain('value="a&quot;b"');
    expect(page).toContain('href="/-/web/?q=a%22b&amp;from=0">Previous page</a>');
    expect(page).toContain('href="/-/web/?q=a%22b&amp;from=40">Next page</a>');
  });
});

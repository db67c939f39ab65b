import { renderPackagePage, renderProjectPage, renderSearchPage, type ConsoleChrome, type PackageUsageView, type PackageView, type PypiProjectView } from '../index';

const chrome: ConsoleChrome = { registry: 'npm', csrfToken: 'form-token', peer: { registry: 'pypi', url: 'http://pypi.test' } };
const noSnapshot: PackageUsageView = { state: 'missing' };

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
  const page = renderPackagePage(base, chrome, noSnapshot);

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
    expect(page).toContain('<pre class="command"><code>npm install @acme/widget</code></pre>');
  });

  it('explains each held version with its policy, reason and release time', () => {
    const held = renderPackagePage({ ...base, held: [{ version: '2.1.0', hold: { policy: 'cooldown', message: 'held by the release-age cooldown', availableAt: '2026-02-01T00:00:00.000Z' } }] }, chrome, noSnapshot);
    expect(held).toContain('Held by the firewall');
    expect(held).toMatch(/<td class="break"><strong>2\.1\.0<\/strong><\/td><td>cooldown<\/td><td>held by the release-age cooldown<\/td><td><time datetime="2026-02-01T00:00:00.000Z">/);
    expect(page).not.toContain('Held by the firewall');
  });

  it('links to the full version list when the list was cut', () => {
    expect(renderPackagePage({ ...base, versionCount: 3000, allVersionsHref: '/-/web/package/x?versions=all' }, chrome, noSnapshot)).toContain('<a href="/-/web/package/x?versions=all">Show all 3000 versions</a>');
  });
});

describe('renderSearchPage', () => {
  it('links each hit to its package page, the other registry\'s to the peer console, and pages through one registry', () => {
    const page = renderSearchPage({
      query: 'a"b', filter: 'npm', from: 20, pageSize: 20,
      results: [{ registry: 'npm', pagesAt: '', hits: [{ name: '@acme/widget', version: '1.0.0', description: '<x>' }], total: 45 }],
    }, chrome);
    expect(page).toContain('<a href="/-/web/package/@acme/widget"><strong>@acme/widget</strong></a>');
    expect(page).toContain('&lt;x&gt;');
    expect(page).toContain('value="a&quot;b"');
    expect(page).toContain('<option value="npm" selected>npm</option>');
    expect(page).toContain('href="/-/web/?q=a%22b&amp;registry=npm&amp;from=0">Previous page</a>');
    expect(page).toContain('href="/-/web/?q=a%22b&amp;registry=npm&amp;from=40">Next page</a>');
    const both = renderSearchPage({
      query: 'req', filter: 'all', from: 0, pageSize: 20,
      results: [
        { registry: 'npm', pagesAt: '', hits: [], total: 0 },
        { registry: 'pypi', pagesAt: 'http://pypi.test', hits: [{ name: 'requests' }], total: 30 },
      ],
    }, chrome);
    expect(both).toContain('No npm package matches.');
    expect(both).toContain('<a href="http://pypi.test/-/web/project/requests"><strong>requests</strong></a>');
    expect(both).toContain('All 30 PyPI results');
  });
});

describe('renderProjectPage', () => {
  const project: PypiProjectView = {
    name: 'demo', origin: 'private', versionCount: 1, held: [], install: [{ client: 'pip', command: 'pip install demo' }],
    versions: [{ version: '1.0', fileCount: 1, yanked: 'broken build', uploadedAt: '2026-01-01T00:00:00Z' }],
    latest: { version: '1.0', files: [{ filename: 'demo-1.0-py3-none-any.whl', url: '/files/demo/demo-1.0-py3-none-any.whl', size: 2048, sha256: 'ab'.repeat(32), yanked: false }] },
    metadata: { version: '1.0', summary: 'A <demo>', requiresDist: ['requests>=2'], projectUrls: [['Source', 'javascript:alert(1)']], description: { text: '<script>alert(1)</script>\n\n*rst* text', markdown: false } },
  };

  it('shows a non-Markdown description as escaped text, requirements, files with sha256 and yanked versions', () => {
    const page = renderProjectPage(project, { ...chrome, registry: 'pypi' }, noSnapshot);
    expect(page).toContain('<pre class="description-text">&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('href="javascript:');
    expect(page).toContain('A &lt;demo&gt;');
    expect(page).toContain('<code class="break">requests&gt;=2</code>');
    expect(page).toContain(`<code>${'ab'.repeat(32)}</code>`);
    expect(page).toContain('2.0 KiB');
    expect(page).toContain('<span class="tag">yanked</span> broken build');
  });

  it('renders a Markdown description sanitized', () => {
    const page = renderProjectPage({ ...project, metadata: { ...project.metadata!, description: { text: '# Demo\n\n<img src=x onerror="alert(1)">', markdown: true } } }, chrome, noSnapshot);
    expect(page).toContain('<h1>Demo</h1>');
    expect(page).not.toMatch(/onerror/);
  });
});

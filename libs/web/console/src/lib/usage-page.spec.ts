import { renderPackagePage, renderProjectPage, renderUsagePage, parseUsageSnapshot, type ConsoleChrome, type PackageView, type PypiProjectView, type UsageSnapshot } from '../index';
import { packageUsageOf, registryUsageOf } from './usage';

const chrome: ConsoleChrome = { registry: 'npm', csrfToken: 'form-token' };
const HOUR = 3_600_000;
const GENERATED = '2026-03-10T06:00:00Z';
const NOW = Date.parse(GENERATED) + 2 * HOUR;
const HOSTILE = '<img src=x onerror=alert(1)>';

const snapshot: UsageSnapshot = parseUsageSnapshot({
  generated_at: GENERATED, window_days: 30, from: '2026-02-08T06:00:00Z', to: GENERATED,
  registries: [
    { registry: 'npm', downloads: 9, cache: 6, upstream: 2, private: 1 },
    { registry: 'pypi', downloads: 4, cache: 4, upstream: 0, private: 0 },
  ],
  versions: [
    { registry: 'npm', package: 'left-pad', version: '1.0.0', downloads: 2, cache: 1, upstream: 1, private: 0 },
    { registry: 'npm', package: 'left-pad', version: '1.3.0', downloads: 5, cache: 4, upstream: 1, private: 0 },
    { registry: 'npm', package: HOSTILE, version: '<b>1</b>', downloads: 1, cache: 1, upstream: 0, private: 0 },
    { registry: 'npm', package: '@acme/widget', version: '2.0.0', downloads: 1, cache: 0, upstream: 0, private: 1 },
    { registry: 'pypi', package: 'left-pad', version: null, downloads: 4, cache: 4, upstream: 0, private: 0 },
  ],
});

const pkg: PackageView = {
  registry: 'npm', name: 'left-pad', origin: 'upstream', distTags: [], versions: [], versionCount: 0, held: [], dependencies: [], install: [],
};
const project: PypiProjectView = { name: 'left-pad', origin: 'upstream', versionCount: 0, held: [], install: [], versions: [] };

describe('usage on the package pages', () => {
  it('shows the package\'s downloads per version, most downloaded first, cache against upstream, with the snapshot\'s time and age', () => {
    const page = renderPackagePage(pkg, chrome, packageUsageOf(snapshot, 'npm', 'left-pad', NOW));
    expect(page).toContain('<strong>7</strong> downloads: 5 from the cache, 2 from the upstream.');
    expect(page).toMatch(/<tr><td class="break">1\.3\.0<\/td><td>5<\/td><td>4<\/td><td>1<\/td><td>80\.0%<\/td><td>0<\/td><\/tr>\s*<tr><td class="break">1\.0\.0<\/td><td>2<\/td><td>1<\/td><td>1<\/td><td>50\.0%<\/td>/);
    expect(page).toContain('Last 30 days, from the lake\'s snapshot of <time datetime="2026-03-10T06:00:00Z">2026-03-10 06:00:00 UTC</time> (2 h ago).');
    expect(page).not.toContain('This snapshot is');
  });

  it('keeps each registry\'s packages apart: the PyPI page of the same name shows its own counts', () => {
    const page = renderProjectPage(project, { ...chrome, registry: 'pypi' }, packageUsageOf(snapshot, 'pypi', 'left-pad', NOW));
    expect(page).toContain('<strong>4</strong> downloads: 4 from the cache, 0 from the upstream.');
    expect(page).toContain('<td class="break"><span class="muted">unknown</span></td><td>4</td>');
  });

  it('says when the package had no downloads, and when the snapshot is late, how old it is', () => {
    const page = renderPackagePage(pkg, chrome, packageUsageOf(snapshot, 'npm', 'never-fetched', NOW + 3 * 24 * HOUR));
    expect(page).toContain('No downloads in these 30 days.');
    expect(page).toContain('This snapshot is 3 days old: the numbers stop at <time datetime="2026-03-10T06:00:00Z">');
  });

  it('says that usage needs the lake and how to produce it when no snapshot is stored, and why when one is unreadable', () => {
    const missing = renderPackagePage(pkg, chrome, { state: 'missing' });
    expect(missing).toContain('No usage snapshot is stored, so there are no download counts to show. Usage needs the lake');
    expect(missing).toContain('<code>tools/lake/usage.sh</code>');
    const unreadable = renderProjectPage(project, { ...chrome, registry: 'pypi' }, { state: 'unreadable', reason: 'not a usage snapshot: <x>' });
    expect(unreadable).toContain('The usage snapshot could not be read: not a usage snapshot: &lt;x&gt;.');
  });
});

describe('the registry-wide usage page', () => {
  it('shows every registry\'s totals and this registry\'s packages by downloads, names escaped and linked', () => {
    const page = renderUsagePage(registryUsageOf(snapshot, 'npm', NOW, 2), chrome);
    expect(page).toContain('<tr><th scope="row">npm</th><td>9</td><td>6</td><td>2</td><td>75.0%</td><td>1</td></tr>');
    expect(page).toContain('<tr><th scope="row">pypi</th><td>4</td><td>4</td><td>0</td><td>100.0%</td><td>0</td></tr>');
    expect(page).toContain('Most downloaded npm packages (2 of 3)');
    expect(page).toContain('<a href="/-/web/package/left-pad">left-pad</a></td><td>7</td>');
    expect(page).toContain(`<a href="/-/web/package/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E">&lt;img src=x onerror=alert(1)&gt;</a>`);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('@acme/widget'); // third by downloads (1, after the hostile name by order of names)
  });

  it('says what is missing without a snapshot', () => {
    expect(renderUsagePage({ state: 'missing' }, chrome)).toContain('Usage needs the lake');
  });
});

describe('parseUsageSnapshot', () => {
  it('refuses a document that is not a snapshot, naming the field', () => {
    expect(() => parseUsageSnapshot({ ...snapshot, versions: [{ ...snapshot.versions[0], downloads: -1 }] })).toThrow(/^not a usage snapshot: versions\.0\.downloads: /);
    expect(() => parseUsageSnapshot({ ...snapshot, generated_at: 'yesterday' })).toThrow(/generated_at/);
    expect(() => parseUsageSnapshot([])).toThrow(/not a usage snapshot/);
  });
});

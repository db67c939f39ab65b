import { createHash } from 'node:crypto';
import { normalizeNpmPath } from './request-path';
import { wantsAbbreviated } from './accept';
import { isValidNewPackageName, isValidPackageName, scopelessName, tarballFilename, upstreamPathSegment, versionFromFilename } from './package-name';
import { expectedDigestOf } from './integrity';
import { abbreviatePackument, nextRevision } from './packument';
import { highestVersion, isValidDistTag } from './versions';
import { parsePublishBody } from './publish-body';

describe('normalizeNpmPath (protocols §3.1)', () => {
  it.each([
    ['/@scope/name', '/@scope%2Fname'],
    ['/@scope/name/-/name-1.0.0.tgz', '/@scope%2Fname/-/name-1.0.0.tgz'],
    ['/%40scope%2Fname', '/@scope%2Fname'],
    ['/@scope%2fname/-/name-1.0.0.tgz', '/@scope%2fname/-/name-1.0.0.tgz'],
    ['//npm//@scope/name', '/npm/@scope/name'],
    ['/-/package/@scope/name/dist-tags', '/-/package/@scope%2Fname/dist-tags'],
    ['/@scope/', '/@scope/'],
    ['/lodash?write=true', '/lodash?write=true'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeNpmPath(input)).toBe(expected);
  });
});

describe('names', () => {
  it('accepts legacy mixed case for reads, only lowercase for new packages', () => {
    expect(isValidPackageName('JSONStream')).toBe(true);
    expect(isValidNewPackageName('JSONStream')).toBe(false);
    expect(isValidPackageName('@acme/widget')).toBe(true);
    expect(isValidPackageName('.hidden')).toBe(false);
    expect(isValidPackageName('a/b')).toBe(false);
    expect(isValidPackageName('x'.repeat(215))).toBe(false);
  });
  it('builds conventional tarball names and upstream segments', () => {
    expect(scopelessName('@acme/widget')).toBe('widget');
    expect(tarballFilename('@acme/widget', '1.0.0+build.1')).toBe('widget-1.0.0.tgz');
    expect(versionFromFilename('@acme/widget', 'widget-1.2.3-rc.1.tgz')).toBe('1.2.3-rc.1');
    expect(versionFromFilename('left-pad', 'other-1.0.0.tgz')).toBeUndefined();
    expect(upstreamPathSegment('@acme/widget')).toBe('@acme%2Fwidget');
  });
});

describe('wantsAbbreviated (protocols §3.2)', () => {
  it('honours the corgi type with q > 0 only', () => {
    expect(wantsAbbreviated('application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*')).toBe(true);
    expect(wantsAbbreviated('application/vnd.npm.install-v1+json;q=0')).toBe(false);
    expect(wantsAbbreviated('application/json')).toBe(false);
    expect(wantsAbbreviated(undefined)).toBe(false);
  });
});

describe('digests and versions', () => {
  it('prefers sha512 integrity, falls back to shasum', () => {
    const bytes = Buffer.from('tarball');
    const sha512 = createHash('sha512').update(new Uint8Array(bytes)).digest();
    expect(expectedDigestOf({ integrity: `sha512-${sha512.toString('base64')}`, shasum: 'a'.repeat(40) })).toEqual({ algorithm: 'sha512', hex: sha512.toString('hex') });
    expect(expectedDigestOf({ shasum: 'A'.repeat(40) })).toEqual({ algorithm: 'sha1', hex: 'a'.repeat(40) });
    expect(expectedDigestOf({ integrity: 'sha1-xyz' })).toBeUndefined();
  });
  it('recomputes latest and validates tags like npm', () => {
    expect(highestVersion(['1.0.0', '1.10.0', '1.9.0', '2.0.0-rc.1'])).toBe('1.10.0');
    expect(isValidDistTag('beta')).toBe(true);
    expect(isValidDistTag('1.x')).toBe(false);
    expect(nextRevision('7-abc', 'deadbeef')).toBe('8-deadbeef');
  });
});

describe('abbreviatePackument (protocols §3.4)', () => {
  it('keeps install fields only and flags install scripts', () => {
    const corgi = abbreviatePackument({
      name: 'x', 'dist-tags': { latest: '1.0.0' }, time: { modified: '2026-01-01T00:00:00.000Z' }, readme: 'long',
      versions: { '1.0.0': { name: 'x', version: '1.0.0', dist: { tarball: 't' }, scripts: { install: 'node-gyp rebuild' }, readme: 'r', dependencies: { a: '1' } } },
    });
    expect(corgi.versions['1.0.0']).toEqual({ name: 'x', version: '1.0.0', dist: { tarball: 't' }, dependencies: { a: '1' }, hasInstallScript: true });
    expect(corgi.modified).toBe('2026-01-01T00:00:00.000Z');
    expect(corgi).not.toHaveProperty('readme');
  });
});

describe('parsePublishBody (protocols §4.2)', () => {
  const tarball = Buffer.from('a real tarball would be gzip');
  const body = (overrides: Record<string, unknown> = {}) => ({
    name: 'pkg', 'dist-tags': { latest: '1.0.0' },
    versions: { '1.0.0': { name: 'pkg', version: '1.0.0', dist: { shasum: createHash('sha1').update(new Uint8Array(tarball)).digest('hex') } } },
    _attachments: { 'pkg-1.0.0.tgz': { data: tarball.toString('base64'), length: tarball.length } },
    ...overrides,
  });
  it('accepts a valid body and computes the digests', () => {
    const parsed = parsePublishBody('pkg', body());
    expect(parsed.version).toBe('1.0.0');
    expect(parsed.digests.integrity).toMatch(/^sha512-/);
  });
  it.each([
    ['a name mismatch', 'other', body()],
    ['two versions', 'pkg', body({ versions: { '1.0.0': {}, '1.0.1': {} } })],
    ['a wrong length', 'pkg', body({ _attachments: { 'pkg-1.0.0.tgz': { data: tarball.toString('base64'), length: 3 } } })],
    ['a wrong shasum', 'pkg', body({ versions: { '1.0.0': { name: 'pkg', version: '1.0.0', dist: { shasum: '0'.repeat(40) } } } })],
    ['an invalid version', 'pkg', body({ versions: { 'x.y': { name: 'pkg', version: 'x.y', dist: {} } } })],
  ])('refuses %s with 400', (_label, urlName, input) => {
    expect(() => parsePublishBody(urlName, input)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

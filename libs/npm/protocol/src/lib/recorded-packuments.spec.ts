import path from 'node:path';
import { loadRecordedFixtures } from '@registry/shared-testing';
import { abbreviatePackument, type Packument } from './packument';
import { mergePackumentTimes, packumentModified } from './packument-time';

const recorded = loadRecordedFixtures(path.join(__dirname, '../__fixtures__/recorded'));
const full = (name: string) => JSON.parse(recorded.body(name)) as Packument;

/** The per-version fields of the public registry's abbreviated format (npm registry docs, plus pnpm's `libc`). */
const CORGI_VERSION_FIELDS = new Set([
  'name', 'version', 'deprecated', 'dependencies', 'optionalDependencies', 'devDependencies', 'bundleDependencies', 'bundledDependencies',
  'peerDependencies', 'peerDependenciesMeta', 'acceptDependencies', 'bin', 'directories', 'dist', 'engines', '_hasShrinkwrap',
  'hasInstallScript', 'funding', 'cpu', 'os', 'libc',
]);

describe('recorded packuments: the abbreviated document', () => {
  it('the recorded upstream answers the corgi Accept with its full document (so we abbreviate ourselves)', () => {
    for (const name of ['is-number', 'sigstore-sign']) {
      expect(recorded.exchange(`${name}.corgi`).headers['content-type']).toBe('application/json');
      expect(recorded.body(`${name}.corgi`)).toBe(recorded.body(name));
    }
    expect(recorded.negotiation.probes.map((p) => p.contentType)).toEqual(recorded.negotiation.probes.map(() => 'application/json'));
  });

  it.each(['is-number', 'sigstore-sign'])('%s: carries name, modified, dist-tags and versions only, no time map', (name) => {
    const doc = full(name);
    const corgi = abbreviatePackument(doc);
    expect(Object.keys(corgi).sort()).toEqual(['dist-tags', 'modified', 'name', 'versions']);
    expect(corgi['dist-tags']).toEqual(doc['dist-tags']);
    expect(Object.keys(corgi.versions)).toEqual(Object.keys(doc.versions));
    for (const [version, manifest] of Object.entries(corgi.versions)) {
      expect(Object.keys(manifest).filter((k) => !CORGI_VERSION_FIELDS.has(k))).toEqual([]);
      expect(manifest['dist']).toEqual(doc.versions[version]!.dist);
    }
  });

  it('`modified` is upstream\'s `time.modified`, or its latest time when it sends publish times only; never 1970', () => {
    const doc = full('is-number');
    expect(doc.time?.['modified']).toBeUndefined();
    const latest = Object.values(doc.time ?? {}).sort((a, b) => Date.parse(b) - Date.parse(a))[0];
    expect(abbreviatePackument(doc).modified).toBe(latest);
    expect(abbreviatePackument({ ...doc, time: { ...doc.time, modified: '2030-01-01T00:00:00.000Z' } }).modified).toBe('2030-01-01T00:00:00.000Z');
    const timeless = abbreviatePackument({ ...doc, time: undefined });
    expect('modified' in timeless).toBe(false);
    expect(JSON.stringify(timeless)).not.toContain('1970-01-01');
  });
});

describe('full packument time when local and upstream versions merge', () => {
  const upstream = { created: '2020-01-01T00:00:00.000Z', modified: '2026-05-01T00:00:00.000Z', '1.0.0': '2020-01-01T00:00:00.000Z', '2.0.0': '2026-05-01T00:00:00.000Z' };
  const local = { created: '2026-02-01T00:00:00.000Z', modified: '2026-03-01T00:00:00.000Z', '2.0.0': '2026-02-01T00:00:00.000Z', '3.0.0-internal': '2026-03-01T00:00:00.000Z' };

  it('keeps each version\'s own time (local wins a clash), the earliest created and the latest modified', () => {
    expect(mergePackumentTimes(local, upstream)).toEqual({
      created: '2020-01-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      '1.0.0': '2020-01-01T00:00:00.000Z',
      '2.0.0': '2026-02-01T00:00:00.000Z',
      '3.0.0-internal': '2026-03-01T00:00:00.000Z',
    });
  });

  it('a local publish after the upstream change moves modified forward; an upstream without modified still counts', () => {
    const later = { ...local, modified: '2026-09-01T00:00:00.000Z' };
    expect(mergePackumentTimes(later, upstream)?.['modified']).toBe('2026-09-01T00:00:00.000Z');
    const recordedTime = full('is-number').time;
    expect(mergePackumentTimes(local, recordedTime)?.['modified']).toBe(packumentModified({ time: recordedTime }));
  });

  it('leaves a side without time alone, and says nothing when neither has one', () => {
    expect(mergePackumentTimes(undefined, upstream)).toEqual(upstream);
    expect(mergePackumentTimes(undefined, undefined)).toBeUndefined();
    expect(packumentModified({ time: { modified: 'not a date', '1.0.0': 'also not' } })).toBeUndefined();
  });
});

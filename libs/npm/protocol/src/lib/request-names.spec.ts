import { randomBytes } from 'node:crypto';
import { manifestFor, withSafeMaps, type Packument } from './packument';
import { newPackageNameProblem } from './package-name';
import { parsePublishBody } from './publish-body';
import { digestsOf } from './integrity';
import { distTagProblem } from './versions';

describe('dist-tag names (protocols §4.5, §16)', () => {
  it.each(['latest', 'next', 'beta-2', 'canary'])('accepts %j', (tag) => expect(distTagProblem(tag)).toBeUndefined());
  it.each([
    ['toString', 'reserved'], ['__proto__', 'reserved'], ['constructor', 'reserved'], ['1.x', 'semver range'], ['v1', 'semver range'], ['~2', 'semver range'],
    ['', '1 to 128'], ['a/b', 'URL-safe'], ['x'.repeat(129), '1 to 128'],
  ])('refuses %j (%s)', (tag, why) => expect(distTagProblem(tag)).toContain(why));
});

describe('names for new packages (protocols §3.1)', () => {
  it.each(['demo', '@acme/widget', 'a.b-c_d', 'x'.repeat(214)])('accepts %j', (name) => expect(newPackageNameProblem(name)).toBeUndefined());
  it.each(['node_modules', 'favicon.ico', 'fs', 'http', '.x', '_x', 'Demo', 'x'.repeat(215), ' x', 'a b', '@a/b/c', 'é', "it's", ''])(
    'refuses %j', (name) => expect(newPackageNameProblem(name)).toBeDefined(),
  );
});

describe('packument maps keyed by names', () => {
  const doc = withSafeMaps(JSON.parse('{"name":"d","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"d","version":"1.0.0","dist":{}}}}') as Packument);
  it('resolve versions and tags, never Object members', () => {
    expect(manifestFor(doc, 'latest')?.version).toBe('1.0.0');
    expect(manifestFor(doc, '1.0.0')?.version).toBe('1.0.0');
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(manifestFor(doc, name)).toBeUndefined();
    expect(doc['dist-tags']['constructor']).toBeUndefined();
  });
});

describe('parsePublishBody', () => {
  const body = (tags: string) => {
    const tarball = randomBytes(20);
    const { integrity } = digestsOf(tarball);
    return JSON.parse(`{"name":"demo","dist-tags":${tags},"versions":{"1.0.0":{"name":"demo","version":"1.0.0","dist":{"integrity":"${integrity}",
      "signatures":[{"keyid":"forged","sig":"AA=="}],"npm-signature":"x","attestations":{"url":"http://x/"}}}},
      "_attachments":{"demo-1.0.0.tgz":{"data":"${tarball.toString('base64')}","length":20}}}`) as unknown;
  };
  it('drops the registry-asserted dist fields a client sent (protocols §14)', () => {
    const dist = parsePublishBody('demo', body('{"latest":"1.0.0"}')).manifest.dist;
    expect(Object.keys(dist)).toEqual(['integrity']);
  });
  it('refuses dist-tags named like Object members', () => {
    expect(() => parsePublishBody('demo', body('{"__proto__":"1.0.0"}'))).toThrow(/reserved/);
    expect(() => parsePublishBody('demo', body('{"toString":"1.0.0"}'))).toThrow(/reserved/);
  });
});

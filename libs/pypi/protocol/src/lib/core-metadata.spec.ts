import { parseCoreMetadata } from './core-metadata';

describe('parseCoreMetadata', () => {
  it('reads multiple-use fields in order and the body as the description (metadata 2.1+)', () => {
    const m = parseCoreMetadata('Metadata-Version: 2.1\r\nName: demo\r\nRequires-Dist: a>=1\r\nRequires-Dist: b; extra == "x"\r\nDescription-Content-Type: text/markdown\r\n\r\n# Demo\r\n\r\nbody\r\n');
    expect(m.fields.get('requires-dist')).toEqual(['a>=1', 'b; extra == "x"']);
    expect(m.fields.get('description-content-type')).toEqual(['text/markdown']);
    expect(m.description).toBe('# Demo\n\nbody\n');
  });

  it('reads a Description field with its continuation lines when there is no body (setuptools style)', () => {
    const m = parseCoreMetadata('Metadata-Version: 1.2\nName: old\nDescription: Title\n        |=====\n        |\n        |text\nKeywords: x\n');
    expect(m.description).toBe('Title\n=====\n\ntext');
    expect(m.fields.get('keywords')).toEqual(['x']);
  });

  it('has no description when neither is there', () => {
    expect(parseCoreMetadata('Name: bare\nVersion: 1\n\n').description).toBeUndefined();
  });
});

import request from 'supertest';
import { makeWheel } from '@registry/pypi-testing';
import { startHarness, type PrivateTestHarness } from './testing/harness';
import { MAX_FORM_FIELDS } from './upload/parse-upload-form';

const wheel = makeWheel({ name: 'form-pkg', version: '1.0.0' });

/** Field names are the client's, and a form's size is bounded as a whole. */
describe('upload form abuse', () => {
  let harness: PrivateTestHarness;
  let auth: string;

  beforeEach(async () => {
    harness = await startHarness({ upstream: false });
    auth = `Basic ${Buffer.from(`__token__:${await harness.userToken('alice', 'alice-password-123')}`).toString('base64')}`;
  });
  afterEach(() => harness.close());

  const form = (fields: Array<[string, string]>) => {
    const req = request(harness.app).post('/legacy/').set('Authorization', auth);
    const base: Array<[string, string]> = [
      [':action', 'file_upload'], ['protocol_version', '1'], ['name', 'form-pkg'], ['version', '1.0.0'],
      ['filetype', 'bdist_wheel'], ['pyversion', 'py3'], ['metadata_version', '2.1'], ['sha256_digest', wheel.sha256],
    ];
    for (const [k, v] of [...base, ...fields]) req.field(k, v);
    return req.attach('content', wheel.bytes, { filename: wheel.filename, contentType: 'application/octet-stream' });
  };

  const storedKeys = async () => {
    const keys: string[] = [];
    for await (const key of harness.store.list('')) keys.push(key);
    return keys;
  };

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('treats a field named %s as an ordinary field', async (name) => {
    await form([[name, 'x'], [name, 'y']]).expect(200);
    await request(harness.app).get('/simple/form-pkg/').expect(200);
  });

  it('answers a part without a name parameter with a 4xx, not an escaped TypeError', async () => {
    const body = '--b\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--b--\r\n';
    const res = await request(harness.app).post('/legacy/').set('Authorization', auth).set('Content-Type', 'multipart/form-data; boundary=b').send(body);
    expect(res.status).toBe(400);
  });

  it('refuses a form with too many fields with 413 and stores nothing', async () => {
    const many = Array.from({ length: MAX_FORM_FIELDS }, (_v, i): [string, string] => [`classifiers`, `c${i}`]);
    const before = await storedKeys();
    const res = await form(many);
    expect(res.status).toBe(413);
    expect(await storedKeys()).toEqual(before);
  });

  it('refuses fields that together exceed the form bound with 413 and stores nothing', async () => {
    const big = 'd'.repeat(6 * 1024 * 1024);
    const before = await storedKeys();
    const res = await form([['description', big], ['summary', big], ['keywords', big]]);
    expect(res.status).toBe(413);
    expect(await storedKeys()).toEqual(before);
  });

  it('reads at most a little of an anonymous upload before refusing it', async () => {
    const res = await request(harness.app).post('/legacy/').set('Content-Type', 'multipart/form-data; boundary=x').send(Buffer.alloc(4 * 1024 * 1024, 'a')).ok(() => true);
    expect(res.status).toBe(401);
  });
});

import { connect } from 'node:net';
import { statusBeforeBody } from '@registry/shared-testing';
import { makeWheel } from '@registry/pypi-testing';
import { basic, npmUserToken, send, startTargets, type Targets } from './support/targets';

/** The transport attacks replayed against the built proxies (each failed on the code before the fix). */
describe('attacks against running proxies', () => {
  let t: Targets;
  let token: string;
  beforeAll(async () => {
    t = await startTargets({ PATH: process.env['PATH'] ?? '' });
    token = await npmUserToken(t.npm, 'mallory', 'mallory-password-1');
  });
  afterAll(() => t.stop());

  const alive = async () => {
    expect((await send(t.npm.url, { method: 'GET', path: '/-/health' })).status).toBe(200);
    expect((await send(t.pypi.url, { method: 'GET', path: '/-/health' })).status).toBe(200);
  };

  it('finding 1: an upload form with fields named after Object.prototype members is not a crash', async () => {
    const wheel = makeWheel({ name: 'mallory-pkg', version: '1.0.0' });
    const boundary = 'abuse-boundary';
    const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const fields = [['__proto__', 'x'], ['constructor', 'y'], ['toString', 'z'], [':action', 'file_upload'], ['name', 'mallory-pkg'], ['version', '1.0.0'], ['filetype', 'bdist_wheel'], ['pyversion', 'py3'], ['protocol_version', '1']];
    const body = Buffer.concat([
      Buffer.from(fields.map(([k, v]) => part(k as string, v as string)).join('')),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${wheel.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      wheel.bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await send(t.pypi.url, {
      method: 'POST', path: '/legacy/', body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: basic('mallory', 'mallory-password-1') },
    });
    expect(res.status).toBeLessThan(500);
    await alive();
  });

  it('finding 5: forged X-Forwarded-Host and -Proto never reach tarball URLs; the answer varies on Host', async () => {
    const res = await send(t.npm.url, { method: 'GET', path: '/left-pad', headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.0.0.1' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).versions['1.0.0'].dist.tarball).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/left-pad\//);
    expect(res.headers['vary']).toContain('Host');
  });

  it('finding 6: an anonymous 60 MiB publish and a 40 MiB audit POST are refused before their bodies are sent', async () => {
    expect(await statusBeforeBody(t.npm.url, 'PUT', '/victim-pkg', 60 * 1024 * 1024)).toBe(401);
    expect(await statusBeforeBody(t.npm.url, 'POST', '/-/npm/v1/security/audits/quick', 40 * 1024 * 1024)).toBe(413);
  });

  it('finding 7: a body that stops arriving is answered 408 and the connection closed', async () => {
    const heads = [
      [t.npm, `PUT /-/user/org.couchdb.user:slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`],
      [t.pypi, `POST /legacy/ HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic('mallory', 'mallory-password-1')}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n`],
    ] as const;
    for (const [target, head] of heads) {
      const url = new URL(target.url);
      const socket = connect(Number(url.port), url.hostname);
      socket.write(head);
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (c: Buffer) => (text += c.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', () => undefined);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    }
  });

  it('finding 10: a raw token in a revoke URL or in api_key/auth query parameters never reaches the access log', async () => {
    const secret = 'npm_AbuseSuiteSecretValue123';
    await send(t.npm.url, { method: 'DELETE', path: `/-/npm/v1/tokens/token/${secret}`, headers: { authorization: `Bearer ${token}` } });
    await send(t.pypi.url, { method: 'GET', path: `/simple/?api_key=${secret}&auth=${secret}` });
    expect(t.npm.output()).not.toContain(secret);
    expect(t.pypi.output()).not.toContain(secret);
    expect(t.npm.output()).toContain('[redacted]');
  });
});

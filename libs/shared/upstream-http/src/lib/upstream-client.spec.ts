import type http from 'node:http';
import { AppError } from '@registry/shared-errors';
import type { UpstreamClient, UpstreamClientOptions } from './upstream-client';
import { readText } from './read-body';
import { startServer, testClient, type LocalServer } from './testing/loopback';

const servers: LocalServer[] = [];
const clients: UpstreamClient[] = [];
const serve = async (handler: http.RequestListener) => {
  const s = await startServer(handler);
  servers.push(s);
  return s;
};
const client = (allowedOrigins: string[], extra: Partial<UpstreamClientOptions> = {}) => {
  const c = testClient(allowedOrigins, extra);
  clients.push(c);
  return c;
};

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe('createUpstreamClient', () => {
  it('fetches from an allowed origin with keep-alive and its user agent', async () => {
    const up = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Many': ['a', 'b'] }).end('hello'));
    const res = await client([up.origin]).request(`${up.origin}/pkg`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['x-many']).toBe('a, b');
    expect(res.url).toBe(`${up.origin}/pkg`);
    expect(await readText(res, 100)).toBe('hello');
    expect(up.requests[0]?.headers['user-agent']).toBe('registry-test/1');
  });

  it('refuses an origin outside the allow-list without contacting it', async () => {
    const allowed = await serve((_req, res) => res.end('ok'));
    const other = await serve((_req, res) => res.end('secret'));
    const err = await rejection(client([allowed.origin]).request(`${other.origin}/x`));
    expect(err.code).toBe('forbidden');
    expect(other.requests).toHaveLength(0);
    expect((await rejection(client([allowed.origin]).request('file:///etc/passwd'))).code).toBe('forbidden');
  });

  it('follows redirects inside the allow-list and reports the final URL', async () => {
    const up = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else res.end(`at ${req.url}`);
    });
    const res = await client([up.origin]).request(`${up.origin}/old`);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${up.origin}/new`);
    expect(await readText(res, 100)).toBe('at /new');
  });

  it('refuses a redirect to a disallowed origin and never contacts it', async () => {
    const evil = await serve((_req, res) => res.end('internal metadata'));
    const up = await serve((_req, res) => res.writeHead(302, { location: `${evil.origin}/latest/meta-data` }).end());
    const err = await rejection(client([up.origin]).request(`${up.origin}/pkg`));
    expect(err.code).toBe('forbidden');
    expect(evil.requests).toHaveLength(0);
  });

  it('stops after maxRedirects, and maxRedirects 0 surfaces the 3xx', async () => {
    const up = await serve((_req, res) => res.writeHead(302, { location: '/loop' }).end());
    expect((await rejection(client([up.origin]).request(`${up.origin}/loop`, { maxRedirects: 3 }))).code).toBe('upstream_unavailable');
    expect(up.requests).toHaveLength(4);
    const res = await client([up.origin]).request(`${up.origin}/loop`, { maxRedirects: 0 });
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('/loop');
  });

  it('drops credentials on a cross-origin redirect and turns URL credentials into Basic auth', async () => {
    const second = await serve((_req, res) => res.end('second'));
    const first = await serve((_req, res) => res.writeHead(307, { location: `${second.origin}/file` }).end());
    const withCreds = first.origin.replace('http://', 'http://alice:s3cret@');
    const res = await client([first.origin, second.origin]).request(`${withCreds}/pkg`);
    expect(await readText(res, 100)).toBe('second');
    expect(first.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(second.requests[0]?.headers.authorization).toBeUndefined();
    expect(res.url).not.toContain('s3cret');
  });

  it('sends If-None-Match and surfaces 304 as a status', async () => {
    const up = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else res.writeHead(200, { etag: '"v1"' }).end('{}');
    });
    const res = await client([up.origin]).request(`${up.origin}/pkg`, { ifNoneMatch: '"v1"' });
    expect(res.status).toBe(304);
    expect(res.headers['etag']).toBe('"v1"');
    expect(await readText(res, 10)).toBe('');
  });

  it('maps a refused connection to upstream_unavailable', async () => {
    const up = await serve((_req, res) => res.end());
    const origin = up.origin;
    await servers.pop()?.close();
    expect((await rejection(client([origin]).request(`${origin}/`))).code).toBe('upstream_unavailable');
  });

  it('maps a missing response to upstream_timeout (headers timeout)', async () => {
    const up = await serve(() => undefined);
    const err = await rejection(client([up.origin], { headersTimeoutMs: 200 }).request(`${up.origin}/slow`));
    expect(err.code).toBe('upstream_timeout');
  });

  it('fails the body stream with upstream_timeout when the upstream stalls mid-body', async () => {
    const up = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    const res = await client([up.origin], { bodyTimeoutMs: 200 }).request(`${up.origin}/stall`);
    expect((await rejection(readText(res, 1_000))).code).toBe('upstream_timeout');
  });
});

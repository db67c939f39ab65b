import type { Socket } from 'node:net';
import type { UpstreamClient } from './upstream-client';
import { discardBody, readText } from './read-body';
import { startServer, testClient, type LocalServer } from './testing/loopback';

interface Seen { method: string; url: string; body: string; socket: Socket }

let server: LocalServer;
let origin: string;
let seen: Seen[];
let upstream: UpstreamClient;

beforeEach(async () => {
  seen = [];
  server = await startServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString(), socket: req.socket });
      if (req.url === '/upload') res.writeHead(303, { location: '/result' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end(req.method === 'HEAD' ? undefined : 'ok');
    });
  });
  origin = server.origin;
  upstream = testClient([origin]);
});

afterEach(async () => {
  await upstream.close();
  await server.close();
});

describe('methods and connection reuse', () => {
  it('keeps connections alive: with one socket per origin, sequential requests share it', async () => {
    const single = testClient([origin], { maxSockets: 1 });
    for (let i = 0; i < 3; i++) expect(await readText(await single.request(`${origin}/p${i}`), 10)).toBe('ok');
    await single.close();
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it('sends HEAD and returns headers with an empty body', async () => {
    const res = await upstream.request(`${origin}/file`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('2');
    expect(await readText(res, 10)).toBe('');
    expect(seen[0]?.method).toBe('HEAD');
  });

  it('sends a POST body, and follows 303 with a GET without the body (protocols §6.5)', async () => {
    const res = await upstream.request(`${origin}/upload`, { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${origin}/result`);
    await discardBody(res);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([['POST', '/upload', '{"a":1}'], ['GET', '/result', '']]);
  });

  it('reports whether a URL may be fetched', () => {
    expect(upstream.isAllowed(`${origin}/anything`)).toBe(true);
    expect(upstream.isAllowed('http://127.0.0.2:1/')).toBe(false);
    expect(upstream.isAllowed('not a url')).toBe(false);
  });
});

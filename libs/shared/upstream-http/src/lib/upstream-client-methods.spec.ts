import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { silentLogger } from '@registry/shared-logger';
import { createUpstreamClient, type UpstreamClient } from './upstream-client';
import { discardBody, readText } from './read-body';

interface Seen { method: string; url: string; body: string; socket: Socket }

let server: http.Server;
let origin: string;
let seen: Seen[];
let upstream: UpstreamClient;

beforeEach(async () => {
  seen = [];
  server = http.createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString(), socket: req.socket });
      if (req.url === '/upload') res.writeHead(303, { location: '/result' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end(req.method === 'HEAD' ? undefined : 'ok');
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  upstream = createUpstreamClient({
    allowedOrigins: [origin], userAgent: 't', connectTimeoutMs: 2_000, headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000, maxSockets: 4, logger: silentLogger,
  });
});

afterEach(async () => {
  await upstream.close();
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

describe('methods and connection reuse', () => {
  it('keeps connections alive: with one socket per origin, sequential requests share it', async () => {
    const single = createUpstreamClient({
      allowedOrigins: [origin], userAgent: 't', connectTimeoutMs: 2_000, headersTimeoutMs: 2_000,
      bodyTimeoutMs: 2_000, maxSockets: 1, logger: silentLogger,
    });
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

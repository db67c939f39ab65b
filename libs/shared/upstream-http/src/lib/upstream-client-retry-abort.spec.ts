import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { createUpstreamClient, type UpstreamClient } from './upstream-client';
import { readText } from './read-body';

let server: http.Server;
let origin: string;
let hits: number;
let handler: (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;
let upstream: UpstreamClient;

beforeEach(async () => {
  hits = 0;
  server = http.createServer((req, res) => handler(req, res, ++hits)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  upstream = createUpstreamClient({
    allowedOrigins: [origin], userAgent: 't', connectTimeoutMs: 2_000, headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000, maxSockets: 2, logger: silentLogger,
  });
});

afterEach(async () => {
  await upstream.close();
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

const resetFirstHit = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => {
  if (hit === 1) req.socket.destroy();
  else res.end('second try');
};

describe('retry and abort', () => {
  it('retries a GET once when the connection is reset before any response byte', async () => {
    handler = resetFirstHit;
    const res = await upstream.request(`${origin}/pkg`);
    expect(await readText(res, 100)).toBe('second try');
    expect(hits).toBe(2);
  });

  it('does not retry a POST', async () => {
    handler = resetFirstHit;
    const err = await upstream.request(`${origin}/pkg`, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('upstream_unavailable');
    expect(hits).toBe(1);
  });

  it('gives up after one retry', async () => {
    handler = (req) => req.socket.destroy();
    const err = await upstream.request(`${origin}/pkg`).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('upstream_unavailable');
    expect(hits).toBe(2);
  });

  it('an abort signal cancels a pending request with an AbortError', async () => {
    const arrived = new Promise<void>((resolve) => {
      handler = () => resolve();
    });
    const controller = new AbortController();
    const pending = upstream.request(`${origin}/slow`, { signal: controller.signal }).catch((e: unknown) => e);
    await arrived;
    controller.abort();
    expect((await pending as Error).name).toBe('AbortError');
  });

  it('an abort signal cancels a body being streamed, and the upstream sees the connection close', async () => {
    let upstreamClosed!: Promise<unknown>;
    handler = (_req, res) => {
      upstreamClosed = once(res, 'close');
      res.writeHead(200);
      res.write('first chunk');
    };
    const controller = new AbortController();
    const res = await upstream.request(`${origin}/big`, { signal: controller.signal });
    const [chunk] = (await once(res.body, 'data')) as [Buffer];
    expect(chunk.toString()).toBe('first chunk');
    const failed = once(res.body, 'error').then(([e]) => e as Error, (e: unknown) => e as Error);
    controller.abort();
    expect((await failed).name).toBe('AbortError');
    await upstreamClosed;
  });
});

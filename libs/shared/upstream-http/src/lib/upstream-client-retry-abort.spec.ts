import type http from 'node:http';
import { once } from 'node:events';
import { AppError } from '@registry/shared-errors';
import type { UpstreamClient } from './upstream-client';
import { readText } from './read-body';
import { startServer, testClient, type LocalServer } from './testing/loopback';

let server: LocalServer;
let origin: string;
let hits: number;
let handler: (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;
let upstream: UpstreamClient;

beforeEach(async () => {
  hits = 0;
  server = await startServer((req, res) => handler(req, res, ++hits));
  origin = server.origin;
  upstream = testClient([origin], { maxSockets: 2 });
});

afterEach(async () => {
  await upstream.close();
  await server.close();
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

import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { waitFor } from './wait-for';

const BODY = Buffer.alloc(10_000, 'x');

describe('startFaultProxy', () => {
  let target: http.Server;
  let proxy: FaultProxy;

  beforeAll(async () => {
    target = http.createServer((_req, res) => res.writeHead(200, { 'content-length': BODY.length, etag: '"1"' }).end(BODY)).listen(0, '127.0.0.1');
    await once(target, 'listening');
    proxy = await startFaultProxy(`http://127.0.0.1:${(target.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await proxy.close();
    target.closeAllConnections();
    target.close();
  });

  it('passes requests through, and trickles the same bytes slowly', async () => {
    const plain = await fetch(`${proxy.url}/a`);
    expect([plain.status, plain.headers.get('etag'), (await plain.arrayBuffer()).byteLength]).toEqual([200, '"1"', BODY.length]);
    await proxy.setFault({ kind: 'trickle', bytes: 2000, everyMs: 1 });
    expect(Buffer.from(await (await fetch(`${proxy.url}/b`)).arrayBuffer()).equals(BODY)).toBe(true);
    expect(proxy.requests).toEqual(['GET /a', 'GET /b']);
  });

  it('answers 503/429 with Retry-After, sends headers without a body, resets mid-body', async () => {
    await proxy.setFault({ kind: 'status', status: 429, retryAfterSeconds: 7 });
    const limited = await fetch(`${proxy.url}/c`);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    await proxy.setFault({ kind: 'reset-mid-body' });
    await expect(fetch(`${proxy.url}/d`).then((r) => r.arrayBuffer())).rejects.toThrow();
    await proxy.setFault({ kind: 'hang-after-headers' });
    const controller = new AbortController();
    const headersOnly = await fetch(`${proxy.url}/e`, { signal: controller.signal });
    expect(headersOnly.status).toBe(200);
    controller.abort();
  });

  it('stops answering connects at the TCP level (unanswered connect), then answers again on the same port', async () => {
    const { url } = proxy;
    await proxy.setFault({ kind: 'unanswered-connect' });
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
    const outcome = await new Promise<string>((resolve) => {
      socket.setTimeout(500, () => resolve('still connecting'));
      socket.on('connect', () => resolve('connected'));
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    socket.destroy();
    expect(outcome).toBe('still connecting');
    await proxy.setFault({ kind: 'none' });
    expect(proxy.url).toBe(url);
    expect((await fetch(`${url}/h`)).status).toBe(200);
  });

  it('takes a connection and never answers (hang on connect), then moves to another port', async () => {
    await proxy.setFault({ kind: 'hang-on-connect' });
    const before = proxy.connections;
    const socket = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
    socket.write('GET /f HTTP/1.1\r\nhost: x\r\n\r\n');
    await waitFor(() => (proxy.connections > before ? true : undefined));
    expect(proxy.requests).not.toContain('GET /f');
    socket.destroy();
    await proxy.setFault({ kind: 'none' });
    const old = proxy.url;
    const moved = await proxy.move();
    expect(moved).not.toBe(old);
    await expect(fetch(`${old}/g`)).rejects.toThrow();
    expect((await fetch(`${moved}/g`)).status).toBe(200);
  });
});
